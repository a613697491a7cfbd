package dev.densify.api.env;

import dev.densify.api.API;

/** Discovered with ServiceLoader; {@link #name()} is the word that selects it in configuration ({@code env=NAME}). */
@API(status = API.Status.STABLE, since = "0.1")
public interface EnvironmentProvider {
    String name();
    String description();
    Environment create(dev.densify.api.config.PluginConfig config);
    TaskSet tasks(dev.densify.api.config.PluginConfig config);
}

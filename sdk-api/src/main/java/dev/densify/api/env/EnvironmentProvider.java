package dev.densify.api.env;

import dev.densify.api.API;
import dev.densify.api.plugin.PluginProvider;

/**
 * Discovered with ServiceLoader; {@link #name()} is the word that selects it in configuration ({@code env=NAME}).
 * It has the shape of every other provider, plus the tasks: its methods are those it always had, so environment jars
 * built against densify 0.1 keep working without a rebuild.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface EnvironmentProvider extends PluginProvider<Environment> {
    @Override
    String name();

    @Override
    String description();

    @Override
    Environment create(dev.densify.api.config.PluginConfig config);

    /** Disjoint training and held-out tasks for this configuration. */
    TaskSet tasks(dev.densify.api.config.PluginConfig config);
}

package dev.densify.api.critic;

import dev.densify.api.API;
import dev.densify.api.plugin.PluginProvider;

/** Discovered with ServiceLoader; selected with {@code critic=NAME}. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface CriticProvider extends PluginProvider<Critic> {}

package dev.densify.api.algo;

import dev.densify.api.API;
import dev.densify.api.plugin.PluginProvider;

/** Discovered with ServiceLoader; selected with {@code algo=NAME}. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface PolicyOptimizerProvider extends PluginProvider<PolicyOptimizer> {}

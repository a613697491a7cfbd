package dev.densify.api.reward;

import dev.densify.api.API;
import dev.densify.api.plugin.PluginProvider;

/** Discovered with ServiceLoader; selected with {@code normalizer=NAME}. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface NormalizerProvider extends PluginProvider<Normalizer> {}

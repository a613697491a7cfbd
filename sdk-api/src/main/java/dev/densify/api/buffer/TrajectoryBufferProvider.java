package dev.densify.api.buffer;

import dev.densify.api.API;
import dev.densify.api.plugin.PluginProvider;

/** Discovered with ServiceLoader; selected with {@code buffer=NAME}. The caller closes every buffer it creates. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface TrajectoryBufferProvider extends PluginProvider<TrajectoryBuffer> {}

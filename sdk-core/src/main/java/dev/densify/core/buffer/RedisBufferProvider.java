package dev.densify.core.buffer;

import dev.densify.api.API;
import dev.densify.api.buffer.TrajectoryBuffer;
import dev.densify.api.buffer.TrajectoryBufferProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import java.util.Objects;
import java.util.Optional;

/**
 * Provides the {@code redis} buffer: a {@link RedisTrajectoryBuffer} with a connection of its own, which it closes.
 * It is the buffer rollout workers on other processes feed: a run that selects it trains on what they append
 * instead of collecting itself, and publishes its policy versions to the same Redis ({@link #settings}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class RedisBufferProvider implements TrajectoryBufferProvider {
    @Override
    public String name() {
        return "redis";
    }

    @Override
    public String description() {
        return "Trajectories in a Redis stream, fed by rollout workers in other processes";
    }

    @Override
    public TrajectoryBuffer create(PluginConfig config) {
        RemoteSettings settings = Objects.requireNonNull(config, "config").bind(RemoteSettings.class);
        return RedisTrajectoryBuffer.open(settings.redis(), settings.bufferConfig(settings.consumer()));
    }

    /**
     * The Redis settings of {@code config}'s run when the buffer it selects is this one (found through
     * {@code registry}), empty for any other buffer: then the run collects its own trajectories.
     */
    public static Optional<RemoteSettings> settings(ComposedConfig config, PluginRegistry registry) {
        Objects.requireNonNull(config, "config");
        TrajectoryBufferProvider selected = registry.provider(PluginKind.BUFFER, config.selected(PluginKind.BUFFER.group()));
        return selected instanceof RedisBufferProvider
                ? Optional.of(config.group(PluginKind.BUFFER.group()).bind(RemoteSettings.class)) : Optional.empty();
    }
}

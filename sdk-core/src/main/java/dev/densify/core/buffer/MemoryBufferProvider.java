package dev.densify.core.buffer;

import dev.densify.api.API;
import dev.densify.api.buffer.TrajectoryBuffer;
import dev.densify.api.buffer.TrajectoryBufferProvider;
import dev.densify.api.config.PluginConfig;
import java.util.Objects;

/** Provides the {@code memory} buffer, the {@link InMemoryTrajectoryBuffer} of a single-process run. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class MemoryBufferProvider implements TrajectoryBufferProvider {
    @Override
    public String name() {
        return "memory";
    }

    @Override
    public String description() {
        return "Trajectories kept in this process's memory";
    }

    @Override
    public TrajectoryBuffer create(PluginConfig config) {
        return new InMemoryTrajectoryBuffer(Objects.requireNonNull(config, "config").bind(MemoryBufferConfig.class)
                .capacity());
    }
}

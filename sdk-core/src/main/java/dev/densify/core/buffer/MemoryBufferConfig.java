package dev.densify.core.buffer;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * The configuration of the {@code memory} buffer ({@link MemoryBufferProvider}).
 *
 * @param capacity how many undelivered trajectories the buffer holds before appends wait
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record MemoryBufferConfig(int capacity) {
    public MemoryBufferConfig {
        Ranges.requireBetween("capacity", capacity, 1, Integer.MAX_VALUE);
    }

    public static MemoryBufferConfig defaults() {
        return PluginConfig.defaultsOf(MemoryBufferConfig.class, "buffer", "memory");
    }
}

package dev.densify.core.buffer;

import dev.densify.api.API;
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

    /** The values of {@code META-INF/densify/buffer/memory.yaml}. */
    public static MemoryBufferConfig defaults() {
        return new MemoryBufferConfig(4096);
    }
}

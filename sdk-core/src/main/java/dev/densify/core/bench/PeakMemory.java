package dev.densify.core.bench;

import dev.densify.api.API;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The process's resident set size, now and at its peak, which includes the engine's native memory that the JVM heap figures
 * miss. Linux only: reads {@code VmHWM} from {@code /proc/self/status} and resets it through
 * {@code /proc/self/clear_refs}; elsewhere both do nothing and the peak is unknown.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PeakMemory {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private PeakMemory() {}

    /** Starts a new measurement window, when the platform allows it. */
    public static void reset() {
        try {
            Files.writeString(CLEAR_REFS, "5");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // not Linux or not permitted: the peak then covers the whole process lifetime
        }
    }

    /** Peak resident bytes since the last {@link #reset()} (or process start). */
    public static OptionalLong peakBytes() {
        return statusBytes("VmHWM:");
    }

    /** Resident bytes now. */
    public static OptionalLong currentBytes() {
        return statusBytes("VmRSS:");
    }

    private static OptionalLong statusBytes(String field) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(field)) {
                    String[] parts = line.substring(field.length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024);
                }
            }
        } catch (IOException | NumberFormatException | SecurityException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }
}

package dev.densify.core.train;

import java.util.List;

/** Closing what a constructor had opened when a later step of it fails, so that the failure leaks nothing. */
final class Closing {
    private Closing() {}

    /**
     * Closes {@code opened} last first; what fails to close is added to {@code failure} as suppressed, so that the
     * failure that stopped the constructor stays the one reported.
     */
    static void closeAll(List<? extends AutoCloseable> opened, Throwable failure) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception | Error e) {
                failure.addSuppressed(e);
            }
        }
    }
}

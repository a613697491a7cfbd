package dev.densify.core.redis;

import dev.densify.api.API;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link RedisConnection} waits through an outage: the pause between attempts starts at
 * {@code initialBackoff} and doubles up to {@code maxBackoff}; the outage is logged at most once per
 * {@code logInterval}; with {@code giveUpAfter} empty it retries until the caller is interrupted or the
 * connection is closed (what workers and learners want), otherwise it fails once the outage lasts that long
 * (what one-shot commands such as {@code densify buffer status} want).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RetryPolicy(
        Duration initialBackoff, Duration maxBackoff, Duration logInterval, Optional<Duration> giveUpAfter) {

    public RetryPolicy {
        requirePositive(initialBackoff, "initialBackoff");
        requirePositive(maxBackoff, "maxBackoff");
        requirePositive(logInterval, "logInterval");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter").ifPresent(d -> requirePositive(d, "giveUpAfter"));
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff (" + maxBackoff + ") must not be below initialBackoff ("
                    + initialBackoff + ")");
        }
    }

    /**
     * The retries of a URL that names no retry option: the one place their defaults are written (they are options
     * of {@code buffer.url}, not keys of a defaults file; {@link RedisSettings} documents them for users).
     */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofSeconds(10), Optional.empty());
    }

    public RetryPolicy withGiveUpAfter(Duration giveUpAfter) {
        return new RetryPolicy(initialBackoff, maxBackoff, logInterval, Optional.of(giveUpAfter));
    }

    /** The pause after {@code failures} consecutive failed attempts (1 = the first failure). */
    public Duration backoff(int failures) {
        int doublings = Math.min(Math.max(failures - 1, 0), 30);
        long millis = initialBackoff.toMillis() << doublings;
        return millis <= 0 || millis > maxBackoff.toMillis() ? maxBackoff : Duration.ofMillis(millis);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + d);
        }
    }
}

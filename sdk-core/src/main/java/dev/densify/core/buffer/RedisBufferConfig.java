package dev.densify.core.buffer;

import dev.densify.api.API;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where and how a {@link RedisTrajectoryBuffer} keeps its data. All keys start with {@code namespace}
 * ({@code <ns>:trajectories} the stream, {@code <ns>:settled} recently settled trajectory ids,
 * {@code <ns>:counters} appended/acknowledged/dropped counts, {@code <ns>:dead-letter} invalid entries kept for
 * inspection, {@code <ns>:workers} and {@code <ns>:worker:<id>} heartbeats); give each run its own namespace, or a new learner will consume an old run's backlog.
 *
 * @param namespace key prefix, e.g. {@code densify:run-42}
 * @param group the consumer group of learners
 * @param consumer this process's name in the group; a learner restarted under the same name gets its own
 *     unacknowledged deliveries back at once, under another name after {@code claimMinIdle}
 * @param maxLength stream cap ({@code XADD MAXLEN ~}): entries beyond it, oldest first, are trimmed even if
 *     nobody read them, which bounds Redis memory when the learner falls behind or stops
 * @param claimMinIdle deliveries of other consumers unacknowledged this long are taken over (their consumer is
 *     presumed dead); checked when the buffer starts and then at this interval
 * @param dedupWindow how long settled trajectory ids are remembered to drop late duplicates
 * @param dedupMaxIds and at most this many of them
 * @param silentAfter a worker whose last heartbeat is older than this is reported silent
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RedisBufferConfig(
        String namespace,
        String group,
        String consumer,
        long maxLength,
        Duration claimMinIdle,
        Duration dedupWindow,
        long dedupMaxIds,
        Duration silentAfter) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:{}-]+");

    public RedisBufferConfig {
        requireName(namespace, "namespace");
        requireName(group, "group");
        requireName(consumer, "consumer");
        if (maxLength < 1) {
            throw new IllegalArgumentException("buffer max_length must be at least 1, got " + maxLength);
        }
        requirePositive(claimMinIdle, "claim_min_idle");
        requirePositive(dedupWindow, "dedup_window");
        if (dedupMaxIds < 1) {
            throw new IllegalArgumentException("buffer dedup_max_ids must be at least 1, got " + dedupMaxIds);
        }
        requirePositive(silentAfter, "silent_after");
    }

    /**
     * Group {@code learners}, consumer {@code learner}, 10,000 entries, takeover after 60 s idle, ids remembered
     * for 24 h (at most 200,000), workers silent after 30 s.
     */
    public static RedisBufferConfig defaults(String namespace) {
        return new RedisBufferConfig(namespace, "learners", "learner", 10_000, Duration.ofSeconds(60),
                Duration.ofHours(24), 200_000, Duration.ofSeconds(30));
    }

    public RedisBufferConfig withConsumer(String consumer) {
        return new RedisBufferConfig(namespace, group, consumer, maxLength, claimMinIdle, dedupWindow, dedupMaxIds,
                silentAfter);
    }

    public RedisBufferConfig withMaxLength(long maxLength) {
        return new RedisBufferConfig(namespace, group, consumer, maxLength, claimMinIdle, dedupWindow, dedupMaxIds,
                silentAfter);
    }

    public RedisBufferConfig withClaimMinIdle(Duration claimMinIdle) {
        return new RedisBufferConfig(namespace, group, consumer, maxLength, claimMinIdle, dedupWindow, dedupMaxIds,
                silentAfter);
    }

    public RedisBufferConfig withSilentAfter(Duration silentAfter) {
        return new RedisBufferConfig(namespace, group, consumer, maxLength, claimMinIdle, dedupWindow, dedupMaxIds,
                silentAfter);
    }

    public String streamKey() {
        return namespace + ":trajectories";
    }

    /**
     * The stream that keeps invalid entries for inspection ({@code XRANGE <ns>:dead-letter - +}), capped like the
     * trajectory stream at {@code maxLength}.
     */
    public String deadLetterKey() {
        return namespace + ":dead-letter";
    }

    String settledKey() {
        return namespace + ":settled";
    }

    String countersKey() {
        return namespace + ":counters";
    }

    private static void requireName(String value, String what) {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("buffer " + what + " '" + value
                    + "' must be non-empty letters, digits and ._:{}- only");
        }
    }

    private static void requirePositive(Duration d, String what) {
        Objects.requireNonNull(d, what);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("buffer " + what + " must be positive, got " + d);
        }
    }
}

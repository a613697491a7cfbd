package dev.densify.core.buffer.policy;

import dev.densify.api.API;
import java.util.Optional;

/**
 * Where the learner publishes policy weights (or adapters) and rollout workers pick them up. The learner calls
 * {@link #publish} after each update it wants workers to use. A worker checks {@link #latest()} only between
 * episodes, never during one, so every trajectory is produced by one policy whose version it records:
 *
 * <pre>{@code
 * // before each episode
 * store.latest().filter(v -> v.version() != current).ifPresent(v -> {
 *     policy.load(store.fetch(v));   // verified against v.sha256()
 *     current = v.version();
 * });
 * }</pre>
 *
 * Versions are compared for equality, not order: a learner resumed from an older checkpoint republishes a
 * lower number, and workers follow it. Stores keep only the newest few versions; {@link #fetch} of a dropped one
 * fails and the worker asks for {@link #latest()} again.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface PolicyStore extends AutoCloseable {

    /** Stores {@code weights} as {@code version} and makes it the latest, atomically for readers. */
    PolicyVersion publish(long version, byte[] weights);

    /** The most recently published version, if any. */
    Optional<PolicyVersion> latest();

    /**
     * The bytes of {@code version}.
     *
     * @throws PolicyChecksumException if they do not match {@code version.sha256()}
     * @throws IllegalStateException if the store no longer keeps that version
     */
    byte[] fetch(PolicyVersion version);

    @Override
    default void close() {}
}

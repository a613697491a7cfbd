package dev.densify.core.buffer;

import dev.densify.api.API;
import java.util.Objects;
import java.util.regex.Pattern;

/** The reasons buffers count trajectories they settle without training; callers may add their own. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class DropReason {

    /** Produced by a policy more than {@code max_policy_lag} versions older than the learner's. */
    public static final String STALE = "stale";
    /** A second copy of a trajectory id that is in flight or already settled. */
    public static final String DUPLICATE = "duplicate";
    /** Bytes that are not a trajectory this densify can read (another format version, corruption). */
    public static final String UNDECODABLE = "undecodable";
    /** A pending entry whose content the stream cap trimmed away before it was acknowledged. */
    public static final String TRIMMED = "trimmed";
    /** A stream entry with content but no {@code trajectory} field: not written by a densify producer. */
    public static final String MALFORMED = "malformed";

    // The reasons below are found by validating a decoded trajectory on arrival (see TrajectoryValidator in
    // dev.densify.core.train); entries dropped for them, and for MALFORMED and UNDECODABLE, are kept in the
    // dead-letter stream for inspection.

    /** A prompt or action token id outside the learner's vocabulary, or a sequence longer than its context. */
    public static final String INVALID_TOKENS = "invalid_tokens";
    /** A NaN or infinite step reward, outcome reward or action log-probability. */
    public static final String NON_FINITE = "non_finite";
    /** More steps than the configured limit. */
    public static final String TOO_MANY_STEPS = "too_many_steps";
    /** A task id that is not in the learner's training task set. */
    public static final String UNKNOWN_TASK = "unknown_task";
    /** A policy version newer than any the learner has published (or a negative one). */
    public static final String FUTURE_POLICY = "future_policy";
    /** One more member of a group that already has the configured group size. */
    public static final String GROUP_SIZE = "group_size";
    /** Written by a worker whose run fingerprint (configuration that must match) is not the learner's. */
    public static final String FOREIGN_FINGERPRINT = "foreign_fingerprint";

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private DropReason() {}

    /** Returns {@code reason} if it is a valid reason name, else fails with a message saying what is allowed. */
    public static String require(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (!NAME.matcher(reason).matches()) {
            throw new IllegalArgumentException("Drop reason '" + reason
                    + "' must be 1-64 lower-case letters, digits or underscores, starting with a letter");
        }
        return reason;
    }
}

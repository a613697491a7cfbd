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

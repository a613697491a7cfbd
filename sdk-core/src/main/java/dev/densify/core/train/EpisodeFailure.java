package dev.densify.core.train;

import dev.densify.api.API;
import java.util.Objects;

/** Why an episode was dropped: a plugin call failed, hung past its deadline or returned something invalid. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class EpisodeFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The counted reasons, as they appear in metrics. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Reason { EXCEPTION, TIMEOUT, NAN, INVALID_OBSERVATION }

    private final Reason reason;

    public EpisodeFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}

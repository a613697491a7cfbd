package dev.densify.core.buffer;

import dev.densify.api.API;
import java.time.Instant;
import java.util.Objects;

/**
 * A rollout worker as its last heartbeat described it. {@code silent} when that heartbeat is older than the
 * threshold the status was asked with.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record WorkerStatus(String workerId, Instant lastHeartbeat, long episodes, long policyVersion, boolean silent) {

    public WorkerStatus {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(lastHeartbeat, "lastHeartbeat");
    }

    /** How many versions this worker's policy is behind {@code latestVersion} (0 when current). */
    public long policyLag(long latestVersion) {
        return latestVersion - policyVersion;
    }
}

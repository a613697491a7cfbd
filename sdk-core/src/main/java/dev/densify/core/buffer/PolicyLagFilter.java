package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.TrajectoryBuffer;
import dev.densify.api.API;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Bounds staleness in asynchronous training: a trajectory produced by policy version {@code v} is stale for a
 * learner at version {@code L} when {@code L - v > maxPolicyLag}. Stale ones are discarded from the buffer
 * (counted as {@value DropReason#STALE}, never delivered again); the rest are trained, slightly stale ones with
 * the importance ratio the algorithm applies to the recorded log-probabilities. A trajectory from a newer
 * version than the learner's (a learner resumed from an older checkpoint) is kept: its recorded log-probs are
 * still those of the policy that acted.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PolicyLagFilter {

    private final long maxPolicyLag;

    public PolicyLagFilter(long maxPolicyLag) {
        if (maxPolicyLag < 0) {
            throw new IllegalArgumentException("max_policy_lag must be >= 0, got " + maxPolicyLag);
        }
        this.maxPolicyLag = maxPolicyLag;
    }

    /** The deliveries kept and those dropped as stale. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Split(List<Delivery> fresh, List<Delivery> stale) {
        public Split {
            fresh = List.copyOf(fresh);
            stale = List.copyOf(stale);
        }
    }

    public boolean isStale(long trajectoryVersion, long learnerVersion) {
        return learnerVersion - trajectoryVersion > maxPolicyLag;
    }

    /** Splits {@code deliveries} for a learner at {@code learnerVersion} and discards the stale ones from {@code buffer}. */
    public Split apply(TrajectoryBuffer buffer, List<Delivery> deliveries, long learnerVersion) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(deliveries, "deliveries");
        List<Delivery> fresh = new ArrayList<>(deliveries.size());
        List<Delivery> stale = new ArrayList<>();
        for (Delivery d : deliveries) {
            (isStale(d.trajectory().policyVersion(), learnerVersion) ? stale : fresh).add(d);
        }
        if (!stale.isEmpty()) {
            buffer.discard(stale, DropReason.STALE);
        }
        return new Split(fresh, stale);
    }
}

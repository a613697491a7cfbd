package dev.densify.api.reward;

import dev.densify.api.API;
import java.util.Objects;

/** One episode's per-step rewards (outcome included on the last step) and the group it belongs to. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record GroupedRewards(String groupId, double[] rewards) {
    public GroupedRewards {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(rewards, "rewards");
    }
}

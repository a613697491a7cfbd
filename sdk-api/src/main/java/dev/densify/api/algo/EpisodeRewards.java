package dev.densify.api.algo;

import dev.densify.api.API;
import java.util.Objects;

/**
 * One episode's final per-step rewards (shaped, normalised, outcome included on the last step) with the
 * critic's values.
 *
 * @param groupId episodes of the same task in the same iteration share it
 * @param rewards r_0..r_{T-1}
 * @param values V(s_0)..V(s_T); algorithms treat V(s_T) as 0 when {@code terminated}
 * @param stateKeys anchor keys of s_0..s_{T-1} (see {@code Observation#anchorKey}), for anchor-state grouping
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record EpisodeRewards(String groupId, double[] rewards, double[] values, boolean terminated,
                             java.util.List<String> stateKeys) {
    public EpisodeRewards {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(rewards, "rewards");
        Objects.requireNonNull(values, "values");
        stateKeys = java.util.List.copyOf(Objects.requireNonNull(stateKeys, "stateKeys"));
        if (values.length != rewards.length + 1) {
            throw new IllegalArgumentException("values must hold T + 1 = " + (rewards.length + 1)
                    + " entries, got " + values.length);
        }
        if (stateKeys.size() != rewards.length) {
            throw new IllegalArgumentException("stateKeys must hold T = " + rewards.length + " entries, got "
                    + stateKeys.size());
        }
    }
}

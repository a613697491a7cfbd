package dev.densify.reward.normalizers;

import dev.densify.api.reward.GroupedRewards;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What every normaliser does with a batch before its own arithmetic: check it and split it by group. */
final class Batches {
    private Batches() {}

    /** Rejects null entries and non-finite rewards, naming the episode, so no state is touched by bad input. */
    static List<GroupedRewards> checked(List<GroupedRewards> batch) {
        Objects.requireNonNull(batch, "batch");
        for (int i = 0; i < batch.size(); i++) {
            GroupedRewards episode = Objects.requireNonNull(batch.get(i), "batch[" + i + "]");
            double[] rewards = episode.rewards();
            for (int t = 0; t < rewards.length; t++) {
                if (!Double.isFinite(rewards[t])) {
                    throw new IllegalArgumentException("reward " + t + " of episode " + i + " (group "
                            + episode.groupId() + ") is " + rewards[t] + "; normalisers need finite rewards");
                }
            }
        }
        return batch;
    }

    /** Indices of the batch's episodes by group, groups in order of first appearance. */
    static Map<String, List<Integer>> byGroup(List<GroupedRewards> batch) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.get(i).groupId(), g -> new ArrayList<>()).add(i);
        }
        return groups;
    }
}

package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Z-scores rewards within each group of episodes (the episodes of one task in one iteration), with the group's
 * mean and population standard deviation; a group whose standard deviation is at most epsilon is only centred.
 * <ul>
 *   <li>{@code over: returns} - with G the episode's undiscounted return and mean, std over the group's returns,
 *       every step reward is divided by std and the mean is taken off the last step, so the episode's return
 *       becomes (G - mean) / std while its steps keep their relative sizes. Episodes without steps have no step
 *       to carry a return and are left out of the statistics.</li>
 *   <li>{@code over: steps} - every step reward becomes (r - mean) / std over all step rewards of the group.</li>
 * </ul>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GroupNormalizer implements Normalizer {
    private final GroupNormalizerConfig config;

    public GroupNormalizer(GroupNormalizerConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public List<double[]> normalize(List<GroupedRewards> batch) {
        Batches.checked(batch);
        List<double[]> out = new ArrayList<>(batch.size());
        for (GroupedRewards episode : batch) {
            out.add(episode.rewards().clone());
        }
        for (Map.Entry<String, List<Integer>> group : Batches.byGroup(batch).entrySet()) {
            List<double[]> members = new ArrayList<>();
            for (int index : group.getValue()) {
                members.add(out.get(index));
            }
            if (config.over() == GroupNormalizerConfig.Over.RETURNS) {
                normaliseReturns(members);
            } else {
                normaliseSteps(members);
            }
        }
        return out;
    }

    private void normaliseReturns(List<double[]> episodes) {
        List<double[]> withSteps = episodes.stream().filter(e -> e.length > 0).toList();
        if (withSteps.isEmpty()) {
            return;
        }
        double[] returns = withSteps.stream().mapToDouble(e -> Arrays.stream(e).sum()).toArray();
        double mean = mean(returns);
        double scale = scale(returns, mean);
        for (double[] rewards : withSteps) {
            rewards[rewards.length - 1] -= mean;
            for (int t = 0; t < rewards.length; t++) {
                rewards[t] /= scale;
            }
        }
    }

    private void normaliseSteps(List<double[]> episodes) {
        double[] pooled = episodes.stream().flatMapToDouble(Arrays::stream).toArray();
        if (pooled.length == 0) {
            return;
        }
        double mean = mean(pooled);
        double scale = scale(pooled, mean);
        for (double[] rewards : episodes) {
            for (int t = 0; t < rewards.length; t++) {
                rewards[t] = (rewards[t] - mean) / scale;
            }
        }
    }

    private static double mean(double[] xs) {
        return Arrays.stream(xs).sum() / xs.length;
    }

    /** The population standard deviation, or 1 when it is too small to divide by. */
    private double scale(double[] xs, double mean) {
        double sum = 0;
        for (double x : xs) {
            sum += (x - mean) * (x - mean);
        }
        double std = Math.sqrt(sum / xs.length);
        return std > config.epsilon() ? std : 1;
    }
}

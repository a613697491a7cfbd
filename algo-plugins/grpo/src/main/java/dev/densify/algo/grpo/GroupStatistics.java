package dev.densify.algo.grpo;

import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/** The plain-number helpers the group-relative estimators share: returns, groups, means and deviations. */
final class GroupStatistics {

    /** Added to the group's standard deviation so that a group of equal returns gives advantages of 0. */
    static final double STD_EPSILON = 1e-6;

    private GroupStatistics() {}

    /** G_t of every episode of the batch, after checking that its rewards and values are finite. */
    static double[][] returnsOf(List<EpisodeRewards> batch, double gamma) {
        java.util.Objects.requireNonNull(batch, "batch");
        double[][] returns = new double[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            requireFinite(batch.get(i));
            returns[i] = discountedReturns(batch.get(i).rewards(), gamma);
        }
        return returns;
    }

    /** G_t = sum_{k >= t} gamma^(k - t) r_k for every step t. */
    static double[] discountedReturns(double[] rewards, double gamma) {
        double[] returns = new double[rewards.length];
        double running = 0;
        for (int t = rewards.length - 1; t >= 0; t--) {
            running = rewards[t] + gamma * running;
            returns[t] = running;
        }
        return returns;
    }

    /**
     * Step t of episode i gets A_t = (G_t - b_i) / s and its G_t as returns, where the whole-episode returns G_0 of a
     * group's episodes (in batch order) give each of them its baseline b_i and the group its scale s.
     */
    static List<StepAdvantages> againstEpisodeBaselines(List<EpisodeRewards> batch, double gamma,
                                                        Function<double[], double[]> baselines,
                                                        ToDoubleFunction<double[]> scale) {
        double[][] returns = returnsOf(batch, gamma);
        StepAdvantages[] out = new StepAdvantages[batch.size()];
        for (List<Integer> members : byGroup(batch).values()) {
            double[] episodeReturns = members.stream().mapToDouble(i -> firstOrZero(returns[i])).toArray();
            double[] baseline = baselines.apply(episodeReturns);
            double s = scale.applyAsDouble(episodeReturns);
            for (int m = 0; m < members.size(); m++) {
                int i = members.get(m);
                double b = baseline[m];
                out[i] = new StepAdvantages(Arrays.stream(returns[i]).map(g -> (g - b) / s).toArray(), returns[i]);
            }
        }
        return List.of(out);
    }

    /** G_0, or 0 for an episode without steps (it still took part in the group and earned nothing). */
    static double firstOrZero(double[] returns) {
        return returns.length == 0 ? 0 : returns[0];
    }

    /** Indices of the batch's episodes per group id, groups in order of first appearance. */
    static Map<String, List<Integer>> byGroup(List<EpisodeRewards> batch) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            groups.computeIfAbsent(batch.get(i).groupId(), g -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    static double mean(double[] xs) {
        double sum = 0;
        for (double x : xs) {
            sum += x;
        }
        return xs.length == 0 ? 0 : sum / xs.length;
    }

    /**
     * Population standard deviation (divisor n), so that normalised advantages have unit deviation in the same
     * sense; implementations using Bessel's n - 1 (TRL, verl) differ by the factor sqrt(n / (n - 1)).
     */
    static double std(double[] xs) {
        double mean = mean(xs);
        double sum = 0;
        for (double x : xs) {
            sum += (x - mean) * (x - mean);
        }
        return xs.length == 0 ? 0 : Math.sqrt(sum / xs.length);
    }

    /** Rejects rewards that would silently turn every advantage of the group into NaN. */
    static void requireFinite(EpisodeRewards episode) {
        for (double r : episode.rewards()) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("episode of group '" + episode.groupId()
                        + "' has a non-finite reward " + r + "; rewards must be finite numbers");
            }
        }
    }
}

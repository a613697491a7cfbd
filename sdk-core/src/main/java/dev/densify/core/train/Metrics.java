package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.env.Signals;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Summaries of a batch for the iteration's {@link IterationMetrics}. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Metrics {
    private Metrics() {}

    /** Success with its Wilson interval, mean outcome and episode length; dropped episodes count as failures. */
    static IterationMetrics.Outcomes outcomes(List<Trajectory> batch) {
        return outcomes(batch, batch.size());
    }

    static IterationMetrics.Outcomes outcomes(List<Trajectory> batch, int attempted) {
        int successes = (int) batch.stream().filter(t -> t.outcome().success()).count();
        Confidence.Interval interval = Confidence.wilson(successes, attempted);
        return new IterationMetrics.Outcomes(interval.estimate(), interval.low(), interval.high(), attempted,
                batch.stream().mapToDouble(t -> t.outcome().reward()).average().orElse(Double.NaN),
                batch.stream().mapToInt(Trajectory::length).average().orElse(Double.NaN));
    }

    /**
     * The fraction of the batch's groups (episodes of the same group id) whose outcomes are all equal: a
     * group-relative algorithm's outcome advantage is 0 for every step of them, so only per-step credit moves them.
     */
    static double uniformGroups(List<Trajectory> batch) {
        Map<String, List<Double>> groups = outcomesByGroup(batch);
        return groups.isEmpty() ? Double.NaN
                : groups.values().stream().filter(o -> o.stream().distinct().count() == 1).count()
                        / (double) groups.size();
    }

    /** Each group's outcomes, in the batch's order. */
    private static Map<String, List<Double>> outcomesByGroup(List<Trajectory> batch) {
        Map<String, List<Double>> groups = new LinkedHashMap<>();
        batch.forEach(t -> groups.computeIfAbsent(t.groupId(), g -> new ArrayList<>()).add(t.outcome().reward()));
        return groups;
    }

    /**
     * The most of the outcomes' variance any critic could explain at the episodes' start states: episodes of a group
     * start from the same state, so the spread of outcomes within a group is noise no V(s_0) can predict. Returns 1 -
     * (mean unbiased within-group variance) / (variance of all outcomes); NaN without a group of two or without
     * spread. A next-batch explained variance far below 1 may be this bound, not a weak critic.
     */
    static double startValueEvBound(List<Trajectory> batch) {
        Map<String, List<Double>> groups = outcomesByGroup(batch);
        double noise = 0;
        int counted = 0;
        for (List<Double> outcomes : groups.values()) {
            if (outcomes.size() >= 2) {
                noise += variance(outcomes, outcomes.size() - 1);
                counted++;
            }
        }
        List<Double> all = batch.stream().map(t -> t.outcome().reward()).toList();
        double total = all.size() >= 2 ? variance(all, all.size() - 1) : 0;
        return counted == 0 || total == 0 ? Double.NaN : 1 - noise / counted / total;
    }

    private static double variance(List<Double> values, int degrees) {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / degrees;
    }

    /** Mean of V(s_t) over the batch for each step index t. */
    static List<Double> meanByStep(List<double[]> values) {
        List<Double> means = new ArrayList<>();
        for (int t = 0; ; t++) {
            double sum = 0;
            int n = 0;
            for (double[] v : values) {
                if (t < v.length - 1) {
                    sum += v[t];
                    n++;
                }
            }
            if (n == 0) {
                return means;
            }
            means.add(sum / n);
        }
    }

    /**
     * Mean V(s) over the states that the environment marked invalid ({@link Signals#invalidState}: dead ends, from
     * which success can no longer be reached), NaN when the batch reached none. Step t's info describes the state it
     * led to, s_{t+1}. A critic that learned from outcomes alone should value these states near the worst outcome;
     * one that values them like {@code value_by_step} does is blind to dead ends.
     */
    static double meanValueOnInvalidStates(List<Trajectory> batch, List<double[]> values) {
        double sum = 0;
        int n = 0;
        for (int k = 0; k < batch.size(); k++) {
            List<Step> steps = batch.get(k).steps();
            for (int t = 0; t < steps.size(); t++) {
                if (Signals.invalidState(steps.get(t).info())) {
                    sum += values.get(k)[t + 1];
                    n++;
                }
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Per-step statistics of the sparse rewards (outcome on the last step) and of the final dense rewards. */
    static IterationMetrics.Rewards rewards(List<Trajectory> batch, List<EpisodeRewards> dense) {
        List<double[]> sparse = batch.stream().map(Returns::sparseRewards).toList();
        return new IterationMetrics.Rewards(summary(sparse), summary(dense.stream().map(EpisodeRewards::rewards)
                .toList()), dense.stream().mapToDouble(e -> java.util.Arrays.stream(e.rewards()).sum()).average()
                .orElse(Double.NaN));
    }

    private static IterationMetrics.RewardStats summary(List<double[]> episodes) {
        double sum = 0;
        double squares = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long n = 0;
        for (double[] rewards : episodes) {
            for (double r : rewards) {
                sum += r;
                squares += r * r;
                min = Math.min(min, r);
                max = Math.max(max, r);
                n++;
            }
        }
        if (n == 0) {
            return new IterationMetrics.RewardStats(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = sum / n;
        return new IterationMetrics.RewardStats(mean, Math.sqrt(Math.max(0, squares / n - mean * mean)), min, max);
    }

    static Map<String, Integer> failures(CollectionStats stats) {
        Map<String, Integer> out = new TreeMap<>();
        stats.failures().forEach((reason, count) -> out.put(reason.name().toLowerCase(java.util.Locale.ROOT), count));
        return out;
    }
}

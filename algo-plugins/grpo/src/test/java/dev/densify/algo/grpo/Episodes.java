package dev.densify.algo.grpo;

import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.algo.EpisodeRewards;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.quicktheories.core.Gen;

/** Builders and QuickTheories generators of episodes for the advantage tests. */
final class Episodes {

    private Episodes() {}

    private static final AtomicLong EPISODES = new AtomicLong();

    /** An episode with the given rewards, zero values and state keys no other episode shares. */
    static EpisodeRewards episode(String group, double... rewards) {
        long id = EPISODES.incrementAndGet();
        List<String> keys = new ArrayList<>();
        for (int t = 0; t < rewards.length; t++) {
            keys.add(group + "/" + id + "/" + t);
        }
        return new EpisodeRewards(group, rewards, new double[rewards.length + 1], true, keys);
    }

    static EpisodeRewards withKeys(String group, double[] rewards, List<String> keys) {
        return new EpisodeRewards(group, rewards, new double[rewards.length + 1], true, keys);
    }

    /** Only the outcome, on the last of {@code length} steps. */
    static EpisodeRewards sparse(String group, double outcome, int length) {
        double[] rewards = new double[length];
        rewards[length - 1] = outcome;
        return episode(group, rewards);
    }

    /** Dense rewards of 1 to 6 steps. */
    static Gen<double[]> denseRewards() {
        return lists().of(doubles().between(-3, 3)).ofSizeBetween(1, 6)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** A group of 2 to 8 outcomes. */
    static Gen<List<Double>> outcomes() {
        return lists().of(doubles().between(-2, 2)).ofSizeBetween(2, 8);
    }

    /** Episode lengths from 1 to 5. */
    static Gen<List<Integer>> lengths() {
        return lists().of(integers().between(1, 5)).ofSize(8);
    }

    /** One group of dense episodes. */
    static Gen<List<double[]>> denseGroup() {
        return lists().of(denseRewards()).ofSizeBetween(1, 8);
    }

    static List<EpisodeRewards> sparseGroup(String group, List<Double> outcomes, List<Integer> lengths) {
        List<EpisodeRewards> batch = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            batch.add(sparse(group, outcomes.get(i), lengths.get(i % lengths.size())));
        }
        return Collections.unmodifiableList(batch);
    }

    static List<EpisodeRewards> denseGroup(String group, List<double[]> rewards) {
        List<EpisodeRewards> batch = new ArrayList<>();
        for (double[] r : rewards) {
            batch.add(episode(group, r));
        }
        return batch;
    }

    /** G_t = sum_{k >= t} gamma^(k - t) r_k, written as the definition (no recursion) to check the code. */
    static double[] returns(double[] rewards, double gamma) {
        double[] g = new double[rewards.length];
        for (int t = 0; t < rewards.length; t++) {
            for (int k = t; k < rewards.length; k++) {
                g[t] += Math.pow(gamma, k - t) * rewards[k];
            }
        }
        return g;
    }

    static double mean(double[] xs) {
        return sum(xs) / xs.length;
    }

    /** Standard deviation with divisor n. */
    static double populationStd(double[] xs) {
        double mean = mean(xs);
        double sum = 0;
        for (double x : xs) {
            sum += (x - mean) * (x - mean);
        }
        return Math.sqrt(sum / xs.length);
    }

    static double sum(double[] xs) {
        double s = 0;
        for (double x : xs) {
            s += x;
        }
        return s;
    }
}

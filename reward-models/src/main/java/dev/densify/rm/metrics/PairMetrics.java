package dev.densify.rm.metrics;

import dev.densify.api.API;
import java.util.Objects;

/**
 * A preference model's metrics over scored pairs, each with its bootstrap interval over pairs: pairwise accuracy,
 * ROC-AUC of the positives' against the negatives' scores, and score separation.
 *
 * @param pairs how many pairs were scored
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record PairMetrics(int pairs, Estimate accuracy, Estimate auc, Estimate separation) {
    public PairMetrics {
        Objects.requireNonNull(accuracy, "accuracy");
        Objects.requireNonNull(auc, "auc");
        Objects.requireNonNull(separation, "separation");
    }

    /**
     * The metrics of pairs whose i-th positive scored {@code positive[i]} and negative {@code negative[i]}, with
     * intervals from resampling the pairs.
     */
    public static PairMetrics of(double[] positive, double[] negative, int resamples, double level, long seed) {
        Ranking.pairwiseAccuracy(positive, negative); // validates the pairs
        int n = positive.length;
        return new PairMetrics(n,
                Bootstrap.interval(n, s -> Ranking.pairwiseAccuracy(pick(positive, s), pick(negative, s)),
                        resamples, level, seed),
                Bootstrap.interval(n, s -> Ranking.rocAuc(pick(positive, s), pick(negative, s)),
                        resamples, level, seed + 1),
                Bootstrap.interval(n, s -> Ranking.separation(pick(positive, s), pick(negative, s)),
                        resamples, level, seed + 2));
    }

    private static double[] pick(double[] values, int[] indices) {
        double[] out = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            out[i] = values[indices[i]];
        }
        return out;
    }
}

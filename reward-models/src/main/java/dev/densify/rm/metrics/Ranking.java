package dev.densify.rm.metrics;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Objects;

/**
 * Ranking metrics of scores (formulas.md, "ROC-AUC, by pair counting"). Every method rejects NaN and infinite
 * scores, which would silently count as ties or wins.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Ranking {
    private Ranking() {}

    /**
     * The fraction of the given pairs whose positive scores above its negative, a tie counting one half:
     * the pair count of the ROC-AUC restricted to the given pairs.
     */
    public static double pairwiseAccuracy(double[] positive, double[] negative) {
        checkPaired(positive, negative);
        double wins = 0;
        for (int i = 0; i < positive.length; i++) {
            wins += positive[i] > negative[i] ? 1 : positive[i] == negative[i] ? 0.5 : 0;
        }
        return wins / positive.length;
    }

    /**
     * ROC-AUC of positives against negatives: (pairs with s_pos > s_neg + 0.5 * ties) / (P * N), the
     * Mann-Whitney statistic, computed from mid-ranks in O((P + N) log(P + N)).
     *
     * @throws IllegalArgumentException when either class is empty (the AUC is then undefined)
     */
    public static double rocAuc(double[] positives, double[] negatives) {
        Objects.requireNonNull(positives, "positives");
        Objects.requireNonNull(negatives, "negatives");
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("ROC-AUC needs both classes: got " + positives.length
                    + " positive and " + negatives.length + " negative scores");
        }
        checkFinite(positives, "positive");
        checkFinite(negatives, "negative");
        int n = positives.length + negatives.length;
        double[] all = new double[n];
        System.arraycopy(positives, 0, all, 0, positives.length);
        System.arraycopy(negatives, 0, all, positives.length, negatives.length);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double positiveRankSum = 0;
        for (int start = 0; start < n; ) {
            int end = start;
            while (end + 1 < n && all[order[end + 1]] == all[order[start]]) {
                end++;
            }
            double midRank = (start + end) / 2.0 + 1; // 1-based mid-rank of the tied run
            for (int k = start; k <= end; k++) {
                if (order[k] < positives.length) {
                    positiveRankSum += midRank;
                }
            }
            start = end + 1;
        }
        double p = positives.length;
        double u = positiveRankSum - p * (p + 1) / 2;
        return u / (p * negatives.length);
    }

    /**
     * ROC-AUC of scores with binary labels ({@code true} = positive class).
     *
     * @throws IllegalArgumentException when the labels hold one class only
     */
    public static double rocAuc(double[] scores, boolean[] labels) {
        Objects.requireNonNull(scores, "scores");
        Objects.requireNonNull(labels, "labels");
        if (scores.length != labels.length) {
            throw new IllegalArgumentException("got " + scores.length + " scores but " + labels.length + " labels");
        }
        int p = 0;
        for (boolean label : labels) {
            p += label ? 1 : 0;
        }
        double[] positives = new double[p];
        double[] negatives = new double[scores.length - p];
        int i = 0;
        int j = 0;
        for (int k = 0; k < scores.length; k++) {
            if (labels[k]) {
                positives[i++] = scores[k];
            } else {
                negatives[j++] = scores[k];
            }
        }
        return rocAuc(positives, negatives);
    }

    /** mean(positive) - mean(negative). */
    public static double separation(double[] positives, double[] negatives) {
        Objects.requireNonNull(positives, "positives");
        Objects.requireNonNull(negatives, "negatives");
        if (positives.length == 0 || negatives.length == 0) {
            throw new IllegalArgumentException("score separation needs both classes: got " + positives.length
                    + " positive and " + negatives.length + " negative scores");
        }
        checkFinite(positives, "positive");
        checkFinite(negatives, "negative");
        return Arrays.stream(positives).average().orElseThrow() - Arrays.stream(negatives).average().orElseThrow();
    }

    private static void checkPaired(double[] positive, double[] negative) {
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(negative, "negative");
        if (positive.length != negative.length) {
            throw new IllegalArgumentException("pairs need as many positive as negative scores, got "
                    + positive.length + " and " + negative.length);
        }
        if (positive.length == 0) {
            throw new IllegalArgumentException("pairwise accuracy needs at least one pair");
        }
        checkFinite(positive, "positive");
        checkFinite(negative, "negative");
    }

    static void checkFinite(double[] scores, String what) {
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalArgumentException(what + " score " + i + " is " + scores[i]
                        + "; scores must be finite numbers");
            }
        }
    }
}

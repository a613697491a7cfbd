package dev.densify.rm.logs;

import dev.densify.api.API;
import dev.densify.rm.metrics.Ranking;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * How well predictions match observed rewards, on the rewards' original scale.
 *
 * @param count records with an observed reward
 * @param mse mean squared error
 * @param mae mean absolute error
 * @param r2 coefficient of determination {@code 1 - SS_res / SS_tot} (NaN when all observed rewards are equal)
 * @param calibration predicted against observed means in bins of equal count, by predicted value
 * @param binary for 0/1 rewards: accuracy at 0.5 and ROC-AUC; empty otherwise
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record Evaluation(int count, double mse, double mae, double r2, List<CalibrationBin> calibration,
                         Optional<Binary> binary) {
    public static final int CALIBRATION_BINS = 10;

    /** One calibration bin: its record count and mean prediction and mean observed reward. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record CalibrationBin(int count, double meanPredicted, double meanObserved) {}

    /**
     * For rewards that are all 0 or 1.
     *
     * @param accuracy of the prediction thresholded at 0.5
     * @param rocAuc by pair counting; NaN when the records hold one class only (then it is undefined)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Binary(double accuracy, double rocAuc) {}

    public Evaluation {
        calibration = List.copyOf(calibration);
        Objects.requireNonNull(binary, "binary");
    }

    /** The expected calibration error: the count-weighted mean |predicted - observed| over the bins. */
    public double calibrationError() {
        double sum = 0;
        for (CalibrationBin b : calibration) {
            sum += b.count() * Math.abs(b.meanPredicted() - b.meanObserved());
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * @param predicted predictions, on the rewards' scale (for 0/1 rewards: probabilities)
     * @param observed the rewards
     * @param binary whether to report accuracy and ROC-AUC
     */
    public static Evaluation of(double[] predicted, double[] observed, boolean binary) {
        Objects.requireNonNull(predicted, "predicted");
        Objects.requireNonNull(observed, "observed");
        if (predicted.length != observed.length) {
            throw new IllegalArgumentException(predicted.length + " predictions for " + observed.length + " rewards");
        }
        int n = observed.length;
        if (n == 0) {
            throw new IllegalArgumentException("an evaluation needs at least one record with an observed reward");
        }
        double mean = Arrays.stream(observed).average().orElseThrow();
        double se = 0;
        double ae = 0;
        double tot = 0;
        for (int i = 0; i < n; i++) {
            double e = predicted[i] - observed[i];
            se += e * e;
            ae += Math.abs(e);
            tot += (observed[i] - mean) * (observed[i] - mean);
        }
        double r2 = tot > 0 ? 1 - se / tot : Double.NaN;
        Optional<Binary> bin = Optional.empty();
        if (binary) {
            int correct = 0;
            boolean[] labels = new boolean[n];
            for (int i = 0; i < n; i++) {
                labels[i] = observed[i] >= 0.5;
                correct += (predicted[i] >= 0.5) == labels[i] ? 1 : 0;
            }
            boolean both = IntStream.range(0, n).anyMatch(i -> labels[i]) && IntStream.range(0, n).anyMatch(i -> !labels[i]);
            bin = Optional.of(new Binary((double) correct / n, both ? Ranking.rocAuc(predicted, labels) : Double.NaN));
        }
        return new Evaluation(n, se / n, ae / n, r2, calibration(predicted, observed), bin);
    }

    private static List<CalibrationBin> calibration(double[] predicted, double[] observed) {
        Integer[] order = IntStream.range(0, predicted.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> predicted[i]));
        int bins = Math.min(CALIBRATION_BINS, predicted.length);
        List<CalibrationBin> out = new ArrayList<>();
        for (int b = 0; b < bins; b++) {
            int from = b * predicted.length / bins;
            int to = (b + 1) * predicted.length / bins;
            double p = 0;
            double o = 0;
            for (int k = from; k < to; k++) {
                p += predicted[order[k]];
                o += observed[order[k]];
            }
            out.add(new CalibrationBin(to - from, p / (to - from), o / (to - from)));
        }
        return out;
    }
}

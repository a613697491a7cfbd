package dev.densify.rm.metrics;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Percentile-bootstrap intervals: the statistic is recomputed on {@code resamples} samples drawn with replacement
 * from the {@code n} items (by index), and the interval is the (1 - level) / 2 and (1 + level) / 2 quantiles of
 * those values. The same seed gives the same interval.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Bootstrap {
    /** Resamples used when a caller has no reason to choose. */
    public static final int DEFAULT_RESAMPLES = 1000;

    private Bootstrap() {}

    /**
     * @param n how many items the sample has (resampled by index)
     * @param statistic the statistic of a sample given by the indices of its items (repeats allowed); a resample
     *     on which it is undefined (it throws {@link IllegalArgumentException}, e.g. an AUC whose resample lost a
     *     class) is drawn again, up to 10 times the resamples in all
     */
    public static Estimate interval(int n, ToDoubleFunction<int[]> statistic, int resamples, double level, long seed) {
        Objects.requireNonNull(statistic, "statistic");
        if (n <= 0) {
            throw new IllegalArgumentException("a bootstrap needs at least one item, got " + n);
        }
        if (resamples < 2) {
            throw new IllegalArgumentException("a bootstrap needs at least 2 resamples, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        int[] identity = new int[n];
        Arrays.setAll(identity, i -> i);
        double value = statistic.applyAsDouble(identity);
        SplittableRandom random = new SplittableRandom(seed);
        double[] values = new double[resamples];
        int drawn = 0;
        for (int attempt = 0; drawn < resamples; attempt++) {
            if (attempt >= 10 * resamples) {
                throw new IllegalArgumentException("the statistic is undefined on most resamples of " + n
                        + " items; the sample is too small for a bootstrap interval");
            }
            int[] sample = new int[n];
            for (int i = 0; i < n; i++) {
                sample[i] = random.nextInt(n);
            }
            try {
                values[drawn] = statistic.applyAsDouble(sample);
                drawn++;
            } catch (IllegalArgumentException undefined) {
                // e.g. a resample with one class only: draw another
            }
        }
        Arrays.sort(values);
        return new Estimate(value, quantile(values, (1 - level) / 2), quantile(values, (1 + level) / 2), level);
    }

    /** A 95% interval from {@value #DEFAULT_RESAMPLES} resamples. */
    public static Estimate interval95(int n, ToDoubleFunction<int[]> statistic, long seed) {
        return interval(n, statistic, DEFAULT_RESAMPLES, 0.95, seed);
    }

    /** Linear interpolation between order statistics of sorted values (type 7, as numpy's default). */
    static double quantile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(sorted.length - 1, below + 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}

package dev.densify.core.train;

import dev.densify.api.API;

/** 95% confidence intervals: Wilson's for a success rate, Student's t for a mean over a few seeds. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Confidence {
    private static final double Z95 = 1.959963984540054;
    /** Two-sided 97.5% quantiles of Student's t for 1..30 degrees of freedom. */
    private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060,
        2.056, 2.052, 2.048, 2.045, 2.042};

    private Confidence() {}

    /** An estimate with its interval. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Interval(double estimate, double low, double high) {}

    /** Wilson score interval of successes out of n (well-behaved near 0 and 1, unlike the normal approximation). */
    public static Interval wilson(int successes, int n) {
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double p = (double) successes / n;
        double z2 = Z95 * Z95;
        double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
        double half = Z95 * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / (1 + z2 / n);
        return new Interval(p, Math.max(0, centre - half), Math.min(1, centre + half));
    }

    /** Mean with a t interval (seeds are few, so not the normal approximation); one value has no interval. */
    public static Interval mean(double[] values) {
        int n = values.length;
        if (n == 0) {
            return new Interval(Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        if (n == 1) {
            return new Interval(mean, Double.NaN, Double.NaN);
        }
        double ss = 0;
        for (double v : values) {
            ss += (v - mean) * (v - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        double t = n - 1 <= T975.length ? T975[n - 2] : Z95;
        return new Interval(mean, mean - t * se, mean + t * se);
    }
}

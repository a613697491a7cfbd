package dev.densify.rm.metrics;

import dev.densify.api.API;

/**
 * A statistic with its percentile-bootstrap interval.
 *
 * @param value the statistic on the whole sample
 * @param low the interval's lower end
 * @param high the interval's upper end
 * @param level the interval's coverage, e.g. 0.95
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record Estimate(double value, double low, double high, double level) {
    public Estimate {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        if (low > high) {
            throw new IllegalArgumentException("interval [" + low + ", " + high + "] has low > high");
        }
    }

    /** Whether {@code x} lies outside the interval (e.g. 0.5 for an accuracy better than chance). */
    public boolean excludes(double x) {
        return x < low || x > high;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "%.4f [%.4f, %.4f]", value, low, high);
    }
}

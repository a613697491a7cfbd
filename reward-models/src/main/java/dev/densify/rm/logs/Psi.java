package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Objects;

/**
 * Population stability index of a distribution against a reference (formulas.md): bins at the reference's
 * quantiles, {@code PSI = sum_b (a_b - e_b) ln(a_b / e_b)} with {@code a} the new and {@code e} the reference
 * fractions, both floored at {@value #FLOOR}. Each term is >= 0 and symmetric in (a, e), so PSI is 0 exactly when
 * every bin holds the same fraction. With ties in the reference (a discrete reward, say) quantile edges coincide;
 * the repeated ones are merged, so a value is never split between two bins.
 *
 * @param edges upper edges of every bin but the last (bin b holds edges[b-1] < x <= edges[b])
 * @param reference the reference's fraction per bin
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record Psi(double[] edges, double[] reference) {
    public static final int DEFAULT_BINS = 10;
    public static final double FLOOR = 1e-4;
    public static final double STABLE_BELOW = 0.1;
    public static final double DRIFTED_ABOVE = 0.25;

    /** The rule of thumb of formulas.md. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Verdict {
        /** PSI < 0.1. */
        STABLE,
        /** 0.1 <= PSI <= 0.25. */
        MODERATE,
        /** PSI > 0.25. */
        DRIFTED;

        public static Verdict of(double psi) {
            return psi < STABLE_BELOW ? STABLE : psi <= DRIFTED_ABOVE ? MODERATE : DRIFTED;
        }
    }

    public Psi {
        edges = edges.clone();
        reference = reference.clone();
        if (reference.length != edges.length + 1) {
            throw new IllegalArgumentException(edges.length + " edges make " + (edges.length + 1) + " bins, not "
                    + reference.length);
        }
    }

    /** Bins at the reference's quantiles ({@code bins} of them before merging ties). */
    public static Psi reference(double[] values, int bins) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("a PSI reference needs at least one value");
        }
        if (bins < 2) {
            throw new IllegalArgumentException("PSI needs at least 2 bins, got " + bins);
        }
        requireFinite(values);
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] edges = new double[bins - 1];
        int count = 0;
        for (int b = 1; b < bins; b++) {
            double q = sorted[(int) Math.ceil((double) b * sorted.length / bins) - 1];
            if (q < sorted[sorted.length - 1] && (count == 0 || q > edges[count - 1])) {
                edges[count++] = q;
            }
        }
        double[] kept = Arrays.copyOf(edges, count);
        return new Psi(kept, fractions(kept, values));
    }

    /** The index of {@code actual} against this reference. */
    public double of(double[] actual) {
        Objects.requireNonNull(actual, "actual");
        if (actual.length == 0) {
            throw new IllegalArgumentException("PSI needs at least one new value");
        }
        requireFinite(actual);
        return index(fractions(edges, actual), reference);
    }

    /** {@code sum_b (a_b - e_b) ln(a_b / e_b)} over two binnings of the same edges, both floored. */
    public static double index(double[] actual, double[] expected) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException("PSI compares the same bins: " + actual.length + " vs "
                    + expected.length);
        }
        double psi = 0;
        for (int b = 0; b < actual.length; b++) {
            double a = Math.max(FLOOR, actual[b]);
            double e = Math.max(FLOOR, expected[b]);
            psi += (a - e) * Math.log(a / e);
        }
        return psi;
    }

    /** The fraction of {@code values} in each bin of {@code edges}. */
    public static double[] fractions(double[] edges, double[] values) {
        double[] counts = new double[edges.length + 1];
        for (double v : values) {
            int at = Arrays.binarySearch(edges, v);
            counts[at >= 0 ? at : -at - 1]++;
        }
        for (int b = 0; b < counts.length; b++) {
            counts[b] /= values.length;
        }
        return counts;
    }

    private static void requireFinite(double[] values) {
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("PSI needs finite values, got " + v);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Psi p && Arrays.equals(edges, p.edges) && Arrays.equals(reference, p.reference);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(edges) + Arrays.hashCode(reference);
    }

    @Override
    public String toString() {
        return "Psi[edges=" + Arrays.toString(edges) + ", reference=" + Arrays.toString(reference) + "]";
    }
}

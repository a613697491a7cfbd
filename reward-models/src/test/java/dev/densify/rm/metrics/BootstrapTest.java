package dev.densify.rm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapTest {
    private static double mean(double[] values, int[] sample) {
        return Arrays.stream(sample).mapToDouble(i -> values[i]).average().orElseThrow();
    }

    @Test
    void theSameSeedGivesTheSameIntervalAndTheIntervalIsOrdered() {
        qt().withExamples(50).forAll(lists().of(integers().between(-50, 50)).ofSizeBetween(1, 30),
                        longs().all())
                .checkAssert((list, seed) -> {
                    double[] values = list.stream().mapToDouble(Integer::doubleValue).toArray();
                    Estimate a = Bootstrap.interval(values.length, s -> mean(values, s), 200, 0.95, seed);
                    Estimate b = Bootstrap.interval(values.length, s -> mean(values, s), 200, 0.95, seed);
                    assertEquals(a, b);
                    assertTrue(a.low() <= a.high());
                    double min = Arrays.stream(values).min().orElseThrow();
                    double max = Arrays.stream(values).max().orElseThrow();
                    assertTrue(a.low() >= min && a.high() <= max, a + " outside the data's range");
                    assertEquals(mean(values, java.util.stream.IntStream.range(0, values.length).toArray()),
                            a.value(), 1e-12);
                });
    }

    @Test
    void theIntervalOfAMeanShrinksLikeOneOverRootN() {
        Random random = new Random(1);
        double[] small = random.doubles(100).toArray();
        double[] large = random.doubles(1600).toArray();
        Estimate s = Bootstrap.interval95(small.length, i -> mean(small, i), 7);
        Estimate l = Bootstrap.interval95(large.length, i -> mean(large, i), 7);
        double ratio = (s.high() - s.low()) / (l.high() - l.low());
        assertTrue(ratio > 3 && ratio < 5.5, "width ratio " + ratio + ", expected about 4");
        // the uniform mean's standard error is 0.2887 / sqrt(n): the 95% interval is about 3.92 of them wide
        assertEquals(3.92 * 0.2887 / 40, l.high() - l.low(), 0.004);
    }

    @Test
    void pairMetricsOfAPerfectRankerAndOfACoinFlip() {
        double[] pos = {5, 6, 7, 8, 9, 10, 11, 12};
        double[] neg = {1, 2, 3, 4, 1, 2, 3, 4};
        PairMetrics perfect = PairMetrics.of(pos, neg, 300, 0.95, 3);
        assertEquals(1.0, perfect.accuracy().value());
        assertEquals(1.0, perfect.auc().low());
        assertTrue(perfect.accuracy().excludes(0.5));
        assertEquals(6.0, perfect.separation().value(), 1e-12);

        Random random = new Random(2);
        double[] a = random.doubles(400).toArray();
        double[] b = random.doubles(400).toArray();
        PairMetrics chance = PairMetrics.of(a, b, 300, 0.95, 3);
        assertFalse(chance.accuracy().excludes(0.5), chance.accuracy().toString());
        assertNotEquals(chance.accuracy().low(), chance.accuracy().high());
    }

    @Test
    void resamplesOnWhichTheStatisticIsUndefinedAreDrawnAgainAndATooSmallSampleIsRefused() {
        double[] scores = {0.9, 0.1, 0.8, 0.3};
        boolean[] labels = {true, false, true, false};
        Estimate auc = Bootstrap.interval(4, s -> {
            double[] x = Arrays.stream(s).mapToDouble(i -> scores[i]).toArray();
            boolean[] y = new boolean[s.length];
            for (int i = 0; i < s.length; i++) {
                y[i] = labels[s[i]];
            }
            return Ranking.rocAuc(x, y);
        }, 100, 0.95, 1);
        assertEquals(1.0, auc.value());
        int[] whole = java.util.stream.IntStream.range(0, 10).toArray();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bootstrap.interval(10, s -> {
                    if (!Arrays.equals(s, whole)) {
                        throw new IllegalArgumentException("undefined");
                    }
                    return 1;
                }, 10, 0.95, 1));
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
    }
}

package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.core.train.Confidence.Interval;
import org.junit.jupiter.api.Test;

class ConfidenceTest {

    @Test
    void wilsonMatchesItsPublishedValues() {
        // Newcombe (1998), method 3: 81/263 -> [0.2553, 0.3662]; 5/10 -> [0.2366, 0.7634].
        Interval a = Confidence.wilson(81, 263);
        assertEquals(0.2553, a.low(), 1e-4);
        assertEquals(0.3662, a.high(), 1e-4);
        Interval b = Confidence.wilson(5, 10);
        assertEquals(0.5, b.estimate(), 0);
        assertEquals(0.2366, b.low(), 1e-4);
        assertEquals(0.7634, b.high(), 1e-4);
    }

    @Test
    void wilsonHoldsItsEstimateStaysInTheUnitIntervalAndIsSymmetric() {
        qt().forAll(integers().between(1, 2000), integers().between(0, 2000)).checkAssert((n, any) -> {
            int s = any % (n + 1);
            Interval i = Confidence.wilson(s, n);
            assertEquals((double) s / n, i.estimate(), 0);
            assertTrue(0 <= i.low() && i.low() <= i.estimate() && i.estimate() <= i.high() && i.high() <= 1, i::toString);
            Interval mirrored = Confidence.wilson(n - s, n);
            assertEquals(1 - i.high(), mirrored.low(), 1e-12);
        });
    }

    @Test
    void wilsonNarrowsWithMoreEpisodesAtTheSameRate() {
        qt().forAll(integers().between(1, 500), integers().between(0, 500)).checkAssert((n, any) -> {
            int s = any % (n + 1);
            Interval few = Confidence.wilson(s, n);
            Interval many = Confidence.wilson(4 * s, 4 * n);
            assertTrue(many.high() - many.low() < few.high() - few.low(), () -> few + " vs " + many);
        });
    }

    @Test
    void noEpisodesGiveNoEstimate() {
        assertTrue(Double.isNaN(Confidence.wilson(0, 0).estimate()));
    }

    @Test
    void theMeanOfAFewSeedsUsesStudentsT() {
        Interval i = Confidence.mean(new double[] {1, 2, 3});
        double half = 4.303 * 1 / Math.sqrt(3);
        assertEquals(2, i.estimate(), 1e-12);
        assertEquals(2 - half, i.low(), 1e-12);
        assertEquals(2 + half, i.high(), 1e-12);
        Interval one = Confidence.mean(new double[] {0.4});
        assertEquals(0.4, one.estimate(), 0);
        assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.high()));
        assertTrue(Double.isNaN(Confidence.mean(new double[0]).estimate()));
    }

    @Test
    void theMeanIntervalContainsTheMeanAndMovesWithAShift() {
        qt().forAll(lists().of(doubles().between(-1, 1)).ofSizeBetween(2, 40), doubles().between(-5, 5))
                .checkAssert((values, shift) -> {
                    double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
                    double[] shifted = values.stream().mapToDouble(x -> x + shift).toArray();
                    Interval i = Confidence.mean(v);
                    Interval j = Confidence.mean(shifted);
                    assertTrue(i.low() <= i.estimate() && i.estimate() <= i.high(), i::toString);
                    assertEquals(i.estimate() + shift, j.estimate(), 1e-9);
                    assertEquals(i.high() - i.low(), j.high() - j.low(), 1e-9);
                });
    }
}

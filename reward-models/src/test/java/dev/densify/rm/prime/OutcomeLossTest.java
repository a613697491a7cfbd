package dev.densify.rm.prime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class OutcomeLossTest {

    @Test
    void theGradientIsTheLossDerivativeAndPushesTheLogitTowardTheLabel() {
        qt().withExamples(500).forAll(doubles().between(-30, 30), integers().between(0, 1)).checkAssert((x, label) -> {
            double y = label;
            double g = OutcomeLoss.gradient(x, y);
            double h = 1e-5;
            double numeric = (OutcomeLoss.loss(x + h, y) - OutcomeLoss.loss(x - h, y)) / (2 * h);
            assertEquals(numeric, g, 1e-6, "dBCE/dx at x=" + x + ", y=" + y);
            // a success's loss falls as its logit rises, a failure's as it falls (never the wrong sign)
            assertTrue(y == 1 ? g < 0 : g > 0, "gradient " + g + " at x=" + x + ", y=" + y);
        });
    }

    @Test
    void theLossIsTheCrossEntropyOfTheSigmoidAndStaysFiniteForLargeLogits() {
        qt().withExamples(500).forAll(doubles().between(-20, 20), integers().between(0, 1)).checkAssert((x, label) -> {
            double p = 1 / (1 + Math.exp(-x));
            double expected = label == 1 ? -Math.log(p) : -Math.log(1 - p);
            // the naive form loses digits where p is near 0 or 1; the tolerance allows for its error, not ours
            assertEquals(expected, OutcomeLoss.loss(x, label), 1e-7 * Math.max(1, expected));
        });
        assertEquals(Math.log(2), OutcomeLoss.loss(0, 1), 1e-12);
        assertEquals(1000, OutcomeLoss.loss(-1000, 1), 1e-9);
        assertEquals(1000, OutcomeLoss.loss(1000, 0), 1e-9);
        assertEquals(0, OutcomeLoss.loss(1000, 1), 1e-12);
        assertEquals(-1, OutcomeLoss.gradient(-1000, 1), 1e-12);
        assertEquals(1, OutcomeLoss.gradient(1000, 0), 1e-12);
    }
}

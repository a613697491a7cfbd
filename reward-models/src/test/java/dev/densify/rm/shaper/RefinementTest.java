package dev.densify.rm.shaper;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.rm.shaper.RewardModelShaperConfig.Refine;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The laws of formulas.md's Clip and Delta (Gao et al. 2024), on the scores the shaper refines. */
class RefinementTest {
    private static final double BOUND = 100;

    private static Gen<double[]> scores() {
        return lists().of(doubles().between(-BOUND, BOUND)).ofSizeBetween(0, 40)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static Gen<Double> etas() {
        return doubles().between(-BOUND, BOUND);
    }

    private static double[] clip(double[] m, double eta) {
        return Refinement.apply(Refine.CLIP, eta, m);
    }

    private static double[] delta(double[] m) {
        return Refinement.apply(Refine.DELTA, 0, m);
    }

    private static double returnFrom(double[] r, int t) {
        double sum = 0;
        for (int k = t; k < r.length; k++) {
            sum += r[k];
        }
        return sum;
    }

    @Test
    void clipNeverExceedsZeroAndIsMinOfScoreMinusEtaAndZero() {
        qt().forAll(scores(), etas()).checkAssert((m, eta) -> {
            double[] c = clip(m, eta);
            for (int t = 0; t < m.length; t++) {
                assertTrue(c[t] <= 0, "clip gave " + c[t] + " at step " + t);
                assertEquals(Math.min(m[t] - eta, 0), c[t], 0);
            }
        });
    }

    @Test
    void withClipAnExtraStepNeverRaisesTheReturn() {
        qt().forAll(scores(), doubles().between(-BOUND, BOUND), etas()).checkAssert((m, extra, eta) -> {
            double[] longer = java.util.Arrays.copyOf(m, m.length + 1);
            longer[m.length] = extra;
            assertTrue(returnFrom(clip(longer, eta), 0) <= returnFrom(clip(m, eta), 0) + 1e-9);
        });
    }

    @Test
    void deltaReturnTelescopesToTheFirstScoreMinusTheLastAndIsBounded() {
        qt().forAll(scores()).checkAssert(m -> {
            double[] d = delta(m);
            if (m.length == 0) {
                assertEquals(0, d.length);
                return;
            }
            assertEquals(0, d[m.length - 1], 0, "the last step gets 0");
            for (int t = 0; t < m.length; t++) {
                // G_t = sum_{k >= t} (m_k - m_{k+1}) = m_t - m_{T-1}, whatever the length
                assertEquals(m[t] - m[m.length - 1], returnFrom(d, t), 1e-9);
                assertTrue(Math.abs(returnFrom(d, t)) <= 2 * BOUND);
            }
        });
    }

    @Test
    void clipDeltaIsDeltaOfClip() {
        qt().forAll(scores(), etas()).checkAssert((m, eta) ->
                assertArrayEquals(delta(clip(m, eta)), Refinement.apply(Refine.CLIP_DELTA, eta, m), 0));
    }

    @Test
    void clipDeltaReturnIsBetweenTheClippedFirstScoreAndZeroMinusTheClippedLast() {
        // G_0 = c_0 - c_{T-1} with c <= 0: at most -c_{T-1}, so a policy cannot farm it above |min(m_{T-1} - eta, 0)|
        qt().forAll(scores(), etas()).checkAssert((m, eta) -> {
            if (m.length > 0) {
                double[] c = clip(m, eta);
                assertEquals(c[0] - c[m.length - 1], returnFrom(Refinement.apply(Refine.CLIP_DELTA, eta, m), 0), 1e-9);
            }
        });
    }

    @Test
    void noneIsTheScoresInANewArrayAndTheInputStaysUnchanged() {
        qt().forAll(scores(), etas()).checkAssert((m, eta) -> {
            double[] before = m.clone();
            for (Refine refine : Refine.values()) {
                double[] out = Refinement.apply(refine, eta, m);
                assertNotSame(m, out);
                assertEquals(m.length, out.length);
                assertArrayEquals(before, m, 0, refine + " changed its input");
            }
            assertArrayEquals(m, Refinement.apply(Refine.NONE, eta, m), 0);
        });
    }

    @Test
    void theDocumentedExample() {
        double[] m = {0.2, 0.9, 0.4};
        assertArrayEquals(new double[] {-0.3, 0, -0.1}, clip(m, 0.5), 1e-12);
        assertArrayEquals(new double[] {-0.7, 0.5, 0}, delta(m), 1e-12);
        assertArrayEquals(new double[] {-0.3, 0.1, 0}, Refinement.apply(Refine.CLIP_DELTA, 0.5, m), 1e-12);
    }
}

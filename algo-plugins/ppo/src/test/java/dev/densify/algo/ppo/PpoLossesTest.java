package dev.densify.algo.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import dev.densify.api.algo.LossInputs;
import dev.densify.api.algo.PolicyLoss;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PpoLossesTest {

    private static LossInputs inputs(NDManager m, float[][] logp, float[][] old, float[][] ref, float[][] adv,
                                     float[][] mask) {
        return new LossInputs(m.create(logp), m.create(old), Optional.ofNullable(ref).map(m::create),
                m.create(adv), m.create(mask));
    }

    private static float surrogateAt(NDManager m, double ratio, float advantage) {
        float[][] logp = {{(float) (-1 + Math.log(ratio))}};
        return PpoLosses.policyLoss(inputs(m, logp, new float[][] {{-1}}, null, new float[][] {{advantage}},
                new float[][] {{1}}), 0.2, 0.28, 0).loss().getFloat();
    }

    @Test
    void withRatioOneTheLossIsMinusTheMeanAdvantageOfCountedTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] logp = {{-1, -2}, {-3, -4}};
            PolicyLoss loss = PpoLosses.policyLoss(inputs(m, logp, logp, null, new float[][] {{2, 1}, {-6, 100}},
                    new float[][] {{1, 1}, {1, 0}}), 0.2, 0.2, 0);
            assertEquals(-(2 + 1 - 6) / 3.0, loss.loss().getFloat(), 1e-6);
            assertEquals(loss.loss().getFloat(), loss.diagnostics().get("policy_loss").getFloat(), 0);
        }
    }

    @Test
    void clippingStartsExactlyBeyondTheAsymmetricClipRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertEquals(-1.27, surrogateAt(m, 1.27, 1), 1e-5);
            assertEquals(-1.28, surrogateAt(m, 1.29, 1), 1e-5);
            assertEquals(0.81, surrogateAt(m, 0.81, -1), 1e-5);
            assertEquals(0.8, surrogateAt(m, 0.79, -1), 1e-5);
            assertEquals(-0.5, surrogateAt(m, 0.5, 1), 1e-5);
            assertEquals(3, surrogateAt(m, 3, -1), 1e-5);
        }
    }

    @Test
    void aPositiveAdvantagePushesTheLogProbabilityUp() {
        qt().withExamples(50).forAll(doubles().between(-3, 3), doubles().between(-0.15, 0.15))
                .assuming((a, d) -> Math.abs(a) > 1e-3)
                .checkAssert((advantage, logRatio) -> {
                    try (NDManager m = NDManager.newBaseManager()) {
                        NDArray logProbs = m.create(new float[][] {{(float) (-2 + logRatio)}});
                        logProbs.setRequiresGradient(true);
                        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                            gc.backward(PpoLosses.policyLoss(new LossInputs(logProbs, m.create(new float[][] {{-2}}),
                                    Optional.empty(), m.create(new float[][] {{advantage.floatValue()}}),
                                    m.create(new float[][] {{1}})), 0.2, 0.2, 0).loss());
                        }
                        assertEquals(Math.signum(advantage), Math.signum(-logProbs.getGradient().getFloat()), 0);
                    }
                });
    }

    @Test
    void k3KlIsZeroAtTheReferenceNonNegativeElsewhereAndOnlyCountsWithBeta() {
        qt().withExamples(100).forAll(doubles().between(-8, 0), doubles().between(-8, 0)).checkAssert((p, r) -> {
            try (NDManager m = NDManager.newBaseManager()) {
                float[][] logp = {{p.floatValue()}};
                float[][] ref = {{r.floatValue()}};
                float[][] zero = {{0}};
                float[][] one = {{1}};
                PolicyLoss same = PpoLosses.policyLoss(inputs(m, logp, logp, logp, zero, one), 0.2, 0.2, 1);
                assertEquals(0, same.diagnostics().get("kl").getFloat(), 1e-6);
                PolicyLoss other = PpoLosses.policyLoss(inputs(m, logp, logp, ref, zero, one), 0.2, 0.2, 0.5);
                float kl = other.diagnostics().get("kl").getFloat();
                double d = r - p;
                assertEquals(Math.min(10, Math.exp(d) - d - 1), kl, 1e-3 * Math.max(1, kl));
                assertTrue(kl >= 0);
                assertEquals(0.5 * kl, other.loss().getFloat(), 1e-5);
                assertEquals(DataType.FLOAT32, other.loss().getDataType());
                PolicyLoss measuredOnly = PpoLosses.policyLoss(inputs(m, logp, logp, ref, zero, one), 0.2, 0.2, 0);
                assertEquals(0, measuredOnly.loss().getFloat(), 0);
            }
        });
    }

    @Test
    void maskedTokensChangeNothingEvenWithExtremeValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] mask = {{1, 0}};
            PolicyLoss a = PpoLosses.policyLoss(inputs(m, new float[][] {{-1, -2}}, new float[][] {{-1.1f, -2}},
                    new float[][] {{-1.3f, -2}}, new float[][] {{1, 1}}, mask), 0.2, 0.2, 0.1);
            PolicyLoss b = PpoLosses.policyLoss(inputs(m, new float[][] {{-1, 0}}, new float[][] {{-1.1f, -300}},
                    new float[][] {{-1.3f, 300}}, new float[][] {{1, -1e9f}}, mask), 0.2, 0.2, 0.1);
            assertEquals(a.loss().getFloat(), b.loss().getFloat(), 0);
            for (String key : a.diagnostics().keySet()) {
                assertEquals(a.diagnostics().get(key).getFloat(), b.diagnostics().get(key).getFloat(), 0, key);
            }
        }
    }

    @Test
    void missingReferenceWithPositiveBetaIsReported() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] x = {{-1}};
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PpoLosses.policyLoss(inputs(m, x, x, null, x, x), 0.2, 0.2, 0.1));
            assertTrue(e.getMessage().contains("referenceLogProbs"), e.getMessage());
        }
    }

    @Test
    void valueLossIsPlainSquaredErrorInsideTheClipRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(new float[] {1.0f, 2.0f});
            NDArray old = m.create(new float[] {0.9f, 2.1f});
            NDArray r = m.create(new float[] {0.0f, 3.0f});
            float loss = PpoLosses.clippedValueLoss(v, old, r, 0.2).getFloat();
            assertEquals(0.5 * (1 + 1) / 2, loss, 1e-6);
        }
    }

    @Test
    void valueLossTakesThePessimisticClippedBranchWhenTheValueMovedTooFar() {
        try (NDManager m = NDManager.newBaseManager()) {
            // V jumped from 0 to 1 towards R = 1.1: clipped V = 0.2, error (0.2 - 1.1)^2 = 0.81 > (1 - 1.1)^2.
            NDArray v = m.create(new float[] {1.0f});
            v.setRequiresGradient(true);
            NDArray loss;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                loss = PpoLosses.clippedValueLoss(v, m.create(new float[] {0f}), m.create(new float[] {1.1f}), 0.2);
                gc.backward(loss);
            }
            assertEquals(0.5 * 0.81, loss.getFloat(), 1e-6);
            // The clipped value no longer depends on V, so V gets no gradient from this sample.
            assertEquals(0, v.getGradient().getFloat(), 0);
            // Moving past the target instead: unclipped error is the larger one and keeps its gradient.
            NDArray w = m.create(new float[] {2.0f});
            w.setRequiresGradient(true);
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                loss = PpoLosses.clippedValueLoss(w, m.create(new float[] {0f}), m.create(new float[] {0.1f}), 0.2);
                gc.backward(loss);
            }
            assertEquals(0.5 * 1.9 * 1.9, loss.getFloat(), 1e-5);
            assertEquals(1.9, w.getGradient().getFloat(), 1e-5);
        }
    }

    @Test
    void valueLossRejectsANegativeClipRangeAndMismatchedShapes() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(new float[] {1, 2});
            assertThrows(IllegalArgumentException.class, () -> PpoLosses.clippedValueLoss(v, v, v, -0.1));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PpoLosses.clippedValueLoss(v, v, m.create(new float[] {1}), 0.2));
            assertTrue(e.getMessage().contains("returns"), e.getMessage());
        }
    }
}

package dev.densify.algo.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.api.algo.LossInputs;
import dev.densify.api.algo.PolicyLoss;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PpoLossesTest {

    /**
     * The surrogate itself is tested in sdk-api; this pins what PPO chooses: token-mean aggregation and the
     * configured, asymmetric clip range.
     */
    @Test
    void thePolicyLossIsTheTokenMeanSurrogateWithTheConfiguredClipRange() {
        PpoOptimizer ppo = new PpoOptimizer(new PpoConfig(1, 0.95, 0.2, 0.28, 0, true));
        try (NDManager m = NDManager.newBaseManager()) {
            // Ratios 1.29 and 0.79: both clipped, to 1.28 and 0.8; the second row has one counted token only.
            float[][] logp = {{(float) (-1 + Math.log(1.29)), (float) (-1 + Math.log(0.79))}, {-1, -1}};
            float[][] old = {{-1, -1}, {-1, -1}};
            float[][] adv = {{1, -1}, {4, 100}};
            float[][] mask = {{1, 1}, {1, 0}};
            PolicyLoss loss = ppo.loss(new LossInputs(m.create(logp), m.create(old), Optional.empty(),
                    m.create(adv), m.create(mask)));
            assertEquals((-1.28 + 0.8 - 4) / 3, loss.loss().getFloat(), 1e-5);
            assertEquals(2 / 3.0, loss.diagnostics().get("clip_fraction").getFloat(), 1e-6);
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

package dev.densify.rm.pref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.core.model.LlamaModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class BradleyTerryLossTest {
    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    /** Loss and its gradients with respect to r_pos and r_neg, by autograd through the real loss. */
    private static float[][] lossAndGradients(float[] pos, float[] neg, double alpha, double margin) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray p = LlamaModel.owned(manager.create(pos));
            NDArray n = LlamaModel.owned(manager.create(neg));
            p.setRequiresGradient(true);
            n.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = BradleyTerryLoss.loss(p.sub(n), alpha, margin);
                float value = loss.getFloat();
                collector.backward(loss);
                return new float[][] {{value}, p.getGradient().toFloatArray(), n.getGradient().toFloatArray()};
            }
        }
    }

    @Test
    void raisingThePositiveRewardLowersTheLossAndRaisingTheNegativeRaisesIt() {
        qt().withExamples(100).forAll(lists().of(doubles().between(-20, 20)).ofSize(6),
                        lists().of(doubles().between(-20, 20)).ofSize(6))
                .checkAssert((pos, neg) -> {
                    float[][] out = lossAndGradients(floats(pos), floats(neg), 0.1, 0.1);
                    for (int i = 0; i < 6; i++) {
                        double d = pos.get(i) - neg.get(i);
                        // beyond |d| = 10 the float32 gradient, about e^-d, may round to 0: never to the wrong sign
                        assertTrue(Math.abs(d) > 10 ? out[1][i] <= 0 : out[1][i] < 0, "dL/dr_pos " + out[1][i] + " at d=" + d);
                        assertTrue(Math.abs(d) > 10 ? out[2][i] >= 0 : out[2][i] > 0, "dL/dr_neg " + out[2][i] + " at d=" + d);
                        assertEquals(-out[1][i], out[2][i], 1e-6);
                    }
                });
    }

    @Test
    void theLossIsTheFormulaAndStableForLargeDifferences() {
        qt().withExamples(100).forAll(lists().of(doubles().between(-60, 60)).ofSize(4))
                .checkAssert(ds -> {
                    float[] d = floats(ds);
                    float[] zero = new float[d.length];
                    float value = lossAndGradients(d, zero, 0.1, 0.1)[0][0];
                    double expected = 0;
                    double hinge = 0;
                    for (float x : d) {
                        expected += Math.log1p(Math.exp(-x)) / d.length;
                        hinge += Math.max(0, 0.1 - x) / d.length;
                    }
                    if (Double.isFinite(expected)) {
                        assertEquals(expected + 0.1 * hinge, value, 1e-4 * Math.max(1, Math.abs(expected)));
                    }
                    assertTrue(Float.isFinite(value));
                });
        float[][] tie = lossAndGradients(new float[] {1f}, new float[] {1f}, 0, 0.1);
        assertEquals((float) Math.log(2), tie[0][0], 1e-6);
        assertEquals(-0.5f, tie[1][0], 1e-6, "the gradient at a tie");
        assertEquals(1000.0, BradleyTerryLoss.logistic(-1000), 1e-9);
        assertEquals(0.0, BradleyTerryLoss.logistic(1000), 1e-12);
        assertEquals(Math.log(2), BradleyTerryLoss.logistic(0), 1e-12);
    }
}

package dev.densify.api.algo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ClippedSurrogateTest {

    private static final ClippedSurrogate NO_KL = new ClippedSurrogate(0.2, 0.3, 0, Aggregation.TOKEN_MEAN);

    private static LossInputs inputs(NDManager m, float[][] logp, float[][] old, float[][] ref, float[][] adv,
                                     float[][] mask) {
        return new LossInputs(m.create(logp), m.create(old), Optional.ofNullable(ref).map(m::create),
                m.create(adv), m.create(mask));
    }

    private static float value(PolicyLoss loss) {
        return loss.loss().getFloat();
    }

    @Test
    void withRatioOneTheLossIsMinusTheMeanAdvantageOfCountedTokens() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] logp = {{-1, -2, -3}, {-0.5f, -0.1f, -4}};
            float[][] adv = {{1, 1, 1}, {-2, -2, 7}};
            float[][] mask = {{1, 1, 1}, {1, 1, 0}};
            PolicyLoss loss = NO_KL.loss(inputs(m, logp, logp, null, adv, mask));
            assertEquals(-(3 - 4) / 5.0, value(loss), 1e-6);
            assertEquals(value(loss), loss.diagnostics().get("policy_loss").getFloat(), 0);
            assertEquals(0, loss.diagnostics().get("clip_fraction").getFloat(), 0);
            assertEquals(1, loss.diagnostics().get("ratio_mean").getFloat(), 1e-6);
            assertFalse(loss.diagnostics().containsKey("kl"));
        }
    }

    @Test
    void clippingStartsExactlyBeyondTheClipRange() {
        try (NDManager m = NDManager.newBaseManager()) {
            // Positive advantage: the ratio counts up to 1 + eps_high = 1.3, no further.
            assertEquals(-1.29, surrogateAt(m, 1.29, 1), 1e-5);
            assertEquals(-1.3, surrogateAt(m, 1.31, 1), 1e-5);
            assertEquals(-1.3, surrogateAt(m, 3.0, 1), 1e-5);
            // Negative advantage: the ratio counts down to 1 - eps_low = 0.8, no further.
            assertEquals(0.81, surrogateAt(m, 0.81, -1), 1e-5);
            assertEquals(0.8, surrogateAt(m, 0.79, -1), 1e-5);
            // The pessimistic side is never clipped.
            assertEquals(-0.5, surrogateAt(m, 0.5, 1), 1e-5);
            assertEquals(2.0, surrogateAt(m, 2.0, -1), 1e-5);
        }
    }

    @Test
    void clippedTokensGiveNoGradientAndCountInTheClipFraction() {
        try (NDManager m = NDManager.newBaseManager()) {
            float logOld = -1;
            float[][] logp = {{(float) (logOld + Math.log(1.5)), (float) (logOld + Math.log(1.1))}};
            NDArray logProbs = m.create(logp);
            logProbs.setRequiresGradient(true);
            PolicyLoss loss;
            try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                loss = NO_KL.loss(new LossInputs(logProbs, m.create(new float[][] {{logOld, logOld}}),
                        Optional.empty(), m.create(new float[][] {{1, 1}}), m.create(new float[][] {{1, 1}})));
                gc.backward(loss.loss());
            }
            float[] gradient = logProbs.getGradient().toFloatArray();
            assertEquals(0, gradient[0], 0);
            assertEquals(-1.1 / 2, gradient[1], 1e-5);
            assertEquals(0.5, loss.diagnostics().get("clip_fraction").getFloat(), 0);
        }
    }

    @Test
    void aPositiveAdvantagePushesTheLogProbabilityUpAndANegativeOneDown() {
        qt().withExamples(50).forAll(doubles().between(-3, 3), doubles().between(-0.15, 0.15))
                .assuming((a, d) -> Math.abs(a) > 1e-3)
                .checkAssert((advantage, logRatio) -> {
                    try (NDManager m = NDManager.newBaseManager()) {
                        NDArray logProbs = m.create(new float[][] {{(float) (-2 + logRatio)}});
                        logProbs.setRequiresGradient(true);
                        try (GradientCollector gc = m.getEngine().newGradientCollector()) {
                            gc.backward(NO_KL.loss(new LossInputs(logProbs, m.create(new float[][] {{-2}}),
                                    Optional.empty(), m.create(new float[][] {{advantage.floatValue()}}),
                                    m.create(new float[][] {{1}}))).loss());
                        }
                        // Gradient descent moves logp against the gradient.
                        float step = -logProbs.getGradient().getFloat();
                        assertEquals(Math.signum(advantage), Math.signum(step), 0);
                    }
                });
    }

    @Test
    void k3KlIsZeroAtTheReferenceAndPositiveElsewhere() {
        ClippedSurrogate withKl = new ClippedSurrogate(0.2, 0.2, 0.5, Aggregation.TOKEN_MEAN);
        qt().withExamples(100).forAll(lists().of(doubles().between(-8, 0)).ofSize(4),
                lists().of(doubles().between(-8, 0)).ofSize(4)).checkAssert((logp, ref) -> {
                    try (NDManager m = NDManager.newBaseManager()) {
                        float[][] p = {toFloats(logp)};
                        float[][] r = {toFloats(ref)};
                        float[][] zero = {{0, 0, 0, 0}};
                        float[][] ones = {{1, 1, 1, 1}};
                        PolicyLoss same = withKl.loss(inputs(m, p, p, p, zero, ones));
                        assertEquals(0, same.diagnostics().get("kl").getFloat(), 1e-6);
                        assertEquals(0, value(same), 1e-6);
                        PolicyLoss other = withKl.loss(inputs(m, p, p, r, zero, ones));
                        float kl = other.diagnostics().get("kl").getFloat();
                        assertTrue(kl >= 0, "kl " + kl);
                        assertTrue(kl <= 10, "kl " + kl);
                        assertEquals(0.5 * kl, value(other), 1e-5);
                        assertEquals(DataType.FLOAT32, other.loss().getDataType());
                        double expected = 0;
                        for (int i = 0; i < 4; i++) {
                            double d = ref.get(i) - logp.get(i);
                            expected += Math.min(10, Math.exp(d) - d - 1) / 4;
                        }
                        assertEquals(expected, kl, 1e-3 * Math.max(1, expected));
                        // With beta 0 the KL is only measured: same diagnostic, no effect on the loss.
                        PolicyLoss measuredOnly = NO_KL.loss(inputs(m, p, p, r, zero, ones));
                        assertEquals(kl, measuredOnly.diagnostics().get("kl").getFloat(), 1e-6);
                        assertEquals(0, value(measuredOnly), 0);
                    }
                });
    }

    @Test
    void maskedTokensChangeNothingEvenWithExtremeValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            ClippedSurrogate withKl = new ClippedSurrogate(0.2, 0.2, 0.1, Aggregation.TOKEN_MEAN);
            float[][] mask = {{1, 1, 0}};
            PolicyLoss a = withKl.loss(inputs(m, new float[][] {{-1, -2, -3}}, new float[][] {{-1.1f, -1.9f, -3}},
                    new float[][] {{-1.2f, -2, -3}}, new float[][] {{1, -1, 5}}, mask));
            PolicyLoss b = withKl.loss(inputs(m, new float[][] {{-1, -2, 0}}, new float[][] {{-1.1f, -1.9f, -200}},
                    new float[][] {{-1.2f, -2, 150}}, new float[][] {{1, -1, -1e6f}}, mask));
            assertEquals(value(a), value(b), 0);
            assertTrue(Float.isFinite(value(b)));
            for (String key : a.diagnostics().keySet()) {
                assertEquals(a.diagnostics().get(key).getFloat(), b.diagnostics().get(key).getFloat(), 0, key);
            }
        }
    }

    @Test
    void sequenceMeanWeighsEverySequenceEquallyTokenMeanEveryToken() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] logp = {{-1, -1, -1, -1}, {-1, -1, -1, -1}};
            float[][] adv = {{1, 1, 1, 1}, {-1, 0, 0, 0}};
            float[][] mask = {{1, 1, 1, 1}, {1, 0, 0, 0}};
            float tokenMean = value(NO_KL.loss(inputs(m, logp, logp, null, adv, mask)));
            float seqMean = value(new ClippedSurrogate(0.2, 0.2, 0, Aggregation.SEQ_MEAN_TOKEN_MEAN)
                    .loss(inputs(m, logp, logp, null, adv, mask)));
            assertEquals(-(4 - 1) / 5.0, tokenMean, 1e-6);
            assertEquals(-(1 - 1) / 2.0, seqMean, 1e-6);
            assertEquals(DataType.FLOAT32, new ClippedSurrogate(0.2, 0.2, 0, Aggregation.SEQ_MEAN_TOKEN_MEAN)
                    .loss(inputs(m, logp, logp, null, adv, mask)).loss().getDataType());
            // A sequence without counted tokens does not dilute the mean.
            float[][] emptyRow = {{1, 1, 1, 1}, {0, 0, 0, 0}};
            assertEquals(-1, value(new ClippedSurrogate(0.2, 0.2, 0, Aggregation.SEQ_MEAN_TOKEN_MEAN)
                    .loss(inputs(m, logp, logp, null, adv, emptyRow))), 1e-6);
        }
    }

    @Test
    void missingReferenceAndMismatchedShapesAreReported() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] x = {{-1, -1}};
            ClippedSurrogate withKl = new ClippedSurrogate(0.2, 0.2, 0.04, Aggregation.TOKEN_MEAN);
            IllegalArgumentException noRef = assertThrows(IllegalArgumentException.class,
                    () -> withKl.loss(inputs(m, x, x, null, x, x)));
            assertTrue(noRef.getMessage().contains("referenceLogProbs"), noRef.getMessage());
            IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                    () -> NO_KL.loss(inputs(m, x, x, null, new float[][] {{1, 1, 1}}, x)));
            assertTrue(shape.getMessage().contains("advantages"), shape.getMessage());
        }
    }

    @Test
    void clipRangesAndBetaOutsideTheirRangeAreRejectedByName() {
        for (double epsLow : new double[] {-0.1, 1, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ClippedSurrogate(epsLow, 0.2, 0, Aggregation.TOKEN_MEAN));
            assertTrue(e.getMessage().startsWith("epsLow"), e.getMessage());
        }
        for (double epsHigh : new double[] {-0.1, Double.POSITIVE_INFINITY, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ClippedSurrogate(0.2, epsHigh, 0, Aggregation.TOKEN_MEAN));
            assertTrue(e.getMessage().startsWith("epsHigh"), e.getMessage());
        }
        for (double beta : new double[] {-0.1, Double.POSITIVE_INFINITY, Double.NaN}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ClippedSurrogate(0.2, 0.2, beta, Aggregation.TOKEN_MEAN));
            assertTrue(e.getMessage().startsWith("beta"), e.getMessage());
        }
        assertThrows(NullPointerException.class, () -> new ClippedSurrogate(0.2, 0.2, 0, null));
        assertTrue(new ClippedSurrogate(0, 0, 0.01, Aggregation.TOKEN_MEAN).usesReference());
        assertFalse(new ClippedSurrogate(0, 0, 0, Aggregation.TOKEN_MEAN).usesReference());
    }

    private static float surrogateAt(NDManager m, double ratio, float advantage) {
        float old = -1;
        float[][] logp = {{(float) (old + Math.log(ratio))}};
        return value(NO_KL.loss(inputs(m, logp, new float[][] {{old}}, null, new float[][] {{advantage}},
                new float[][] {{1}})));
    }

    private static float[] toFloats(java.util.List<Double> xs) {
        float[] out = new float[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs.get(i).floatValue();
        }
        return out;
    }
}

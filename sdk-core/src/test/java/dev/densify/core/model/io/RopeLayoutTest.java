package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.densify.core.model.LlamaConfig;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RopeLayoutTest {
    @Test
    void convertingBackAndForthIsTheIdentity() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            ModelWeights interleaved = interleaved(seed);
            ModelWeights rotateHalf = RopeLayout.toRotateHalf(interleaved);
            assertFalse(rotateHalf.config().ropeInterleaved());
            assertEquals(interleaved.tensors(), RopeLayout.toInterleaved(rotateHalf).tensors());
            assertEquals(interleaved.config(), RopeLayout.toInterleaved(rotateHalf).config());
            assertSame(rotateHalf, RopeLayout.toRotateHalf(rotateHalf));
        });
    }

    @Test
    void attentionScoresAreTheSameInBothLayouts() {
        qt().forAll(longs().all(), integers().between(0, 40), integers().between(0, 40)).checkAssert((seed, m, n) -> {
            ModelWeights interleaved = interleaved(seed);
            ModelWeights rotateHalf = RopeLayout.toRotateHalf(interleaved);
            LlamaConfig c = interleaved.config();
            float[] x = gaussian(new SplittableRandom(seed + 1), c.dim());
            float[] y = gaussian(new SplittableRandom(seed + 2), c.dim());
            String q = CanonicalNames.layer(0, CanonicalNames.Q_PROJ);
            String k = CanonicalNames.layer(0, CanonicalNames.K_PROJ);
            for (int head = 0; head < c.heads(); head++) {
                int kvHead = head / (c.heads() / c.kvHeads());
                double a = dot(rope(project(interleaved, q, x), head, c, m, true),
                        rope(project(interleaved, k, y), kvHead, c, n, true), head, kvHead, c.headSize());
                double b = dot(rope(project(rotateHalf, q, x), head, c, m, false),
                        rope(project(rotateHalf, k, y), kvHead, c, n, false), head, kvHead, c.headSize());
                assertEquals(a, b, 1e-9 * (1 + Math.abs(a)), "head " + head);
            }
            // the rows did move: a layout that ignored the permutation would not agree
            assertNotEquals(interleaved.tensors().get(q), rotateHalf.tensors().get(q));
        });
    }

    private static ModelWeights interleaved(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int kvHeads = 1 + random.nextInt(2);
        int heads = kvHeads * (1 + random.nextInt(2));
        int headSize = 2 * (2 + random.nextInt(3));
        LlamaConfig config = new LlamaConfig(heads * headSize, 4, 1, heads, kvHeads, 5, 8, 10000.0, 1e-5, true, true,
                random.nextBoolean());
        return RandomWeights.of(config, seed, Optional.empty());
    }

    private static float[] gaussian(SplittableRandom random, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    private static double[] project(ModelWeights w, String name, float[] x) {
        WeightTensor t = w.tensors().get(name);
        int rows = (int) t.shape()[0];
        int cols = (int) t.shape()[1];
        WeightTensor bias = w.tensors().get(name.replace(".weight", ".bias"));
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = bias == null ? 0 : bias.data()[r];
            for (int col = 0; col < cols; col++) {
                sum += t.data()[r * cols + col] * (double) x[col];
            }
            out[r] = sum;
        }
        return out;
    }

    /** Rotates one head of v at position pos, in the given layout (as llama2.c or transformers do). */
    private static double[] rope(double[] v, int head, LlamaConfig c, int pos, boolean interleaved) {
        double[] out = v.clone();
        int hs = c.headSize();
        for (int i = 0; i < hs / 2; i++) {
            double angle = pos * Math.pow(c.ropeTheta(), -2.0 * i / hs);
            int a = head * hs + (interleaved ? 2 * i : i);
            int b = head * hs + (interleaved ? 2 * i + 1 : i + hs / 2);
            out[a] = v[a] * Math.cos(angle) - v[b] * Math.sin(angle);
            out[b] = v[a] * Math.sin(angle) + v[b] * Math.cos(angle);
        }
        return out;
    }

    private static double dot(double[] q, double[] k, int head, int kvHead, int hs) {
        double sum = 0;
        for (int i = 0; i < hs; i++) {
            sum += q[head * hs + i] * k[kvHead * hs + i];
        }
        return sum;
    }
}

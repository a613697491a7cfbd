package dev.densify.api.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Gradients through {@link Tensors} stay right when the garbage collector frees, and the program reuses, the Java
 * memory of every number DJL turned into a tensor between the forward and the backward pass.
 */
class TensorsTest {
    private static final float[] X = {0.5f, 0.9f, 1.0f, 1.1f, 1.5f, -2f};

    /** Frees what can be freed, then fills freshly allocated native memory with a value no test expects. */
    static void churnNativeMemory() {
        List<ByteBuffer> filler = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 4) * 4);
                while (b.remaining() >= 4) {
                    b.putFloat(1e30f);
                }
                filler.add(b);
            }
        }
        filler.clear();
    }

    private static float[] gradient(UnaryOperator<NDArray> f) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            x.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = f.apply(x).sum();
                churnNativeMemory();
                collector.backward(y);
            }
            return x.getGradient().toFloatArray();
        }
    }

    @Test
    void aScalarFactorReachesTheBackwardPass() {
        assertArrayEquals(new float[] {3, 3, 3, 3, 3, 3}, gradient(x -> x.mul(Tensors.scalar(x, 3))));
    }

    @Test
    void aClampPassesTheGradientInsideItsBoundsOnly() {
        assertArrayEquals(new float[] {0, 1, 1, 1, 0, 0}, gradient(x -> Tensors.clamp(x, 0.8, 1.2)));
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(X);
            assertArrayEquals(x.clip(0.8, 1.2).toFloatArray(), Tensors.clamp(x, 0.8, 1.2).toFloatArray());
        }
    }

    @Test
    void theClippedSurrogatesGradientIsTheSameWhateverTheCollectorDoes() {
        ClippedSurrogate surrogate = new ClippedSurrogate(0.2, 0.2, 0.04, Aggregation.TOKEN_MEAN);
        float[] expected = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray logProbs = manager.create(new float[][] {{-0.1f, -0.9f, -2.5f}, {-1.2f, -0.05f, -0.7f}});
                logProbs.setRequiresGradient(true);
                LossInputs inputs = new LossInputs(logProbs,
                        manager.create(new float[][] {{-0.5f, -0.6f, -2.4f}, {-1.0f, -0.9f, -0.2f}}),
                        java.util.Optional.of(manager.create(new float[][] {{-0.2f, -0.8f, -2f}, {-1f, -0.1f, -1f}})),
                        manager.create(new float[][] {{1f, -1f, 0.5f}, {-0.3f, 2f, 1f}}),
                        manager.create(new float[][] {{1, 1, 1}, {1, 1, 0}}));
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    NDArray loss = surrogate.loss(inputs).loss();
                    if (attempt > 0) {
                        churnNativeMemory();
                    }
                    collector.backward(loss);
                }
                float[] gradient = logProbs.getGradient().toFloatArray();
                if (expected == null) {
                    expected = gradient;
                } else {
                    assertArrayEquals(expected, gradient, "attempt " + attempt);
                }
            }
        }
    }
}

package dev.densify.core.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;

/**
 * What the model's arithmetic alone costs: floating-point operations per token of a Llama forward pass, counted
 * from its shapes (a multiply-add is 2), and the engine's own matrix-multiply rate on this machine, so that a loop's
 * time can be set against the least time its arithmetic needs.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Arithmetic {
    private Arithmetic() {}

    /**
     * Operations of one token's forward pass through the blocks, at {@code context} earlier positions (its
     * attention reads that many keys and values): the q/k/v, output and SwiGLU projections and attention's two
     * products. Norms, rotary and softmax are a few operations per element and left out.
     */
    public static double blockFlopsPerToken(LlamaConfig c, double context) {
        double projections = 2.0 * c.dim() * (c.dim() + 2.0 * c.kvDim()) + 2.0 * c.dim() * c.dim()
                + 3 * 2.0 * c.dim() * c.hiddenDim();
        double attention = 2 * 2.0 * context * c.dim();
        return c.layers() * (projections + attention);
    }

    /** Operations of the output head for one token: the projection onto the vocabulary. */
    public static double headFlopsPerToken(LlamaConfig c) {
        return 2.0 * c.dim() * c.vocabSize();
    }

    /**
     * The engine's float matrix-multiply rate in operations per second at [rows, inner] x [inner, columns], the best
     * of three timed rounds after an untimed one; each round lasts about a tenth of a second or more.
     */
    public static double matMulFlopsPerSecond(int rows, int inner, int columns) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1, 1, new Shape(rows, inner));
            NDArray b = manager.randomUniform(-1, 1, new Shape(inner, columns));
            double perProduct = 2.0 * rows * inner * columns;
            int repeats = (int) Math.max(4, Math.min(100_000, 2e9 / perProduct));
            double best = 0;
            for (int round = 0; round < 4; round++) {
                long start = System.nanoTime();
                for (int k = 0; k < repeats; k++) {
                    a.matMul(b).close();
                }
                double rate = repeats * perProduct / ((System.nanoTime() - start) / 1e9);
                if (round > 0) {
                    best = Math.max(best, rate);
                }
            }
            return best;
        }
    }
}

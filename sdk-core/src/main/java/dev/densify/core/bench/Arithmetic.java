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
        return 2.0 * rows * inner * columns / productSeconds(rows, new int[][] {{inner, columns}});
    }

    /**
     * Seconds the engine takes for one forward's projection products over {@code rows} positions, as the model runs
     * them (per layer: the fused q/k/rotated q/k/v product, the output, the fused gate and up, the down
     * projection), the best of three timed rounds after an untimed one. What a forward takes beyond this is the
     * work around its products.
     */
    public static double projectionSeconds(LlamaConfig c, int rows) {
        int qkv = 2 * (c.dim() + c.kvDim()) + c.kvDim();
        int[][] layer = {{c.dim(), qkv}, {c.dim(), c.dim()}, {c.dim(), 2 * c.hiddenDim()}, {c.hiddenDim(), c.dim()}};
        int[][] all = new int[layer.length * c.layers()][];
        for (int i = 0; i < all.length; i++) {
            all[i] = layer[i % layer.length];
        }
        return productSeconds(rows, all);
    }

    /** Seconds for the products [rows, inner_k] x [inner_k, columns_k] one after another, best of three rounds. */
    private static double productSeconds(int rows, int[][] shapes) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray[] left = new NDArray[shapes.length];
            NDArray[] right = new NDArray[shapes.length];
            double flops = 0;
            for (int k = 0; k < shapes.length; k++) {
                left[k] = manager.randomUniform(-1, 1, new Shape(rows, shapes[k][0]));
                right[k] = manager.randomUniform(-1, 1, new Shape(shapes[k][0], shapes[k][1]));
                flops += 2.0 * rows * shapes[k][0] * shapes[k][1];
            }
            return bestSecondsPerCall((int) Math.max(4, Math.min(100_000, 2e9 / flops)), () -> {
                for (int k = 0; k < shapes.length; k++) {
                    left[k].matMul(right[k]).close();
                }
            });
        }
    }

    /** Seconds per call of {@code call}: the best of three timed rounds of {@code calls} calls after an untimed one. */
    static double bestSecondsPerCall(int calls, Runnable call) {
        double best = Double.POSITIVE_INFINITY;
        for (int round = 0; round < 4; round++) {
            long start = System.nanoTime();
            for (int c = 0; c < calls; c++) {
                call.run();
            }
            if (round > 0) {
                best = Math.min(best, (System.nanoTime() - start) / 1e9 / calls);
            }
        }
        return best;
    }
}

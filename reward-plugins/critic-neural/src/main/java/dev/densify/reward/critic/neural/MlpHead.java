package dev.densify.reward.critic.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Two hidden layers, each Linear -> LayerNorm -> GELU -> dropout, then a scalar output. The input is the
 * hidden state at the prompt's last token (which a decoder has conditioned on the whole observation) and,
 * with {@code meanPool}, the mean over all rows, which keeps information the last token may not carry.
 */
final class MlpHead implements ValueHead {

    private final int hidden;
    private final boolean meanPool;

    MlpHead(int hidden, boolean meanPool) {
        this.hidden = hidden;
        this.meanPool = meanPool;
    }

    @Override
    public String architecture() {
        return "mlp hidden=" + hidden + " mean_pool=" + meanPool;
    }

    @Override
    public Parameters initialise(int inputDim, Random random) {
        return new Parameters()
                .linear("l1", meanPool ? 2 * inputDim : inputDim, hidden, random).layerNorm("ln1", hidden)
                .linear("l2", hidden, hidden, random).layerNorm("ln2", hidden)
                .linear(OUTPUT, hidden, 1, random);
    }

    /** One row: the last feature row and, with mean pooling, the mean over all rows after it. */
    @Override
    public float[][] prepare(float[][] rows) {
        int dim = rows[0].length;
        float[] input = new float[meanPool ? 2 * dim : dim];
        System.arraycopy(rows[rows.length - 1], 0, input, 0, dim);
        if (meanPool) {
            for (float[] row : rows) {
                for (int d = 0; d < dim; d++) {
                    input[dim + d] += row[d] / rows.length;
                }
            }
        }
        return new float[][] {input};
    }

    @Override
    public NDArray forward(NDManager manager, Map<String, NDArray> p, List<float[][]> rows, Dropout dropout) {
        int width = rows.get(0)[0].length;
        float[] input = new float[rows.size() * width];
        for (int n = 0; n < rows.size(); n++) {
            System.arraycopy(rows.get(n)[0], 0, input, n * width, width);
        }
        NDArray x = manager.create(input, new Shape(rows.size(), width));
        NDArray h = dropout.apply(Layers.gelu(Layers.layerNorm(Layers.linear(x, p, "l1"), p, "ln1")));
        h = dropout.apply(Layers.gelu(Layers.layerNorm(Layers.linear(h, p, "l2"), p, "ln2")));
        return Layers.linear(h, p, OUTPUT).reshape(rows.size());
    }
}

package dev.densify.reward.critic.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.algo.Tensors;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A small pre-LayerNorm self-attention encoder over a state's feature rows: project the rows to the hidden
 * width, add sinusoidal encodings of each row's distance from the last row, apply {@code blocks} blocks of
 * multi-head attention and a GELU feed-forward layer (both residual, with dropout), then pool the last row and
 * the mean of the rows into a GELU layer and a scalar output.
 *
 * <p>States may have different numbers of rows: shorter ones are padded at the front, so the last row always
 * sits at the same position, and padding is masked out of attention and of the mean. Distances are counted from
 * the end for the same reason.
 */
final class TransformerHead implements ValueHead {

    /** Added to attention logits of padding rows: far below any real logit, still finite in float32. */
    private static final float MASKED_LOGIT = -1e9f;

    private final int hidden;
    private final int heads;
    private final int blocks;

    TransformerHead(int hidden, int heads, int blocks) {
        this.hidden = hidden;
        this.heads = heads;
        this.blocks = blocks;
    }

    @Override
    public String architecture() {
        return "transformer hidden=" + hidden + " heads=" + heads + " blocks=" + blocks;
    }

    @Override
    public Parameters initialise(int inputDim, Random random) {
        Parameters p = new Parameters().linear("in", inputDim, hidden, random);
        for (int b = 0; b < blocks; b++) {
            String block = "block" + b;
            p.layerNorm(block + ".ln1", hidden)
                    .matrix(block + ".q", hidden, hidden, random)
                    .matrix(block + ".k", hidden, hidden, random)
                    .matrix(block + ".v", hidden, hidden, random)
                    .linear(block + ".o", hidden, hidden, random)
                    .layerNorm(block + ".ln2", hidden)
                    .linear(block + ".ff1", hidden, 2 * hidden, random)
                    .linear(block + ".ff2", 2 * hidden, hidden, random);
        }
        return p.layerNorm("final", hidden).linear("pool", 2 * hidden, hidden, random).linear(OUTPUT, hidden, 1, random);
    }

    @Override
    public NDArray forward(NDManager manager, Map<String, NDArray> p, List<float[][]> rows, Dropout dropout) {
        int n = rows.size();
        int dim = rows.get(0)[0].length;
        int length = rows.stream().mapToInt(r -> r.length).max().orElseThrow();
        float[] input = new float[n * length * dim];
        float[] present = new float[n * length];
        for (int i = 0; i < n; i++) {
            float[][] state = rows.get(i);
            int offset = length - state.length;
            for (int t = 0; t < state.length; t++) {
                System.arraycopy(state[t], 0, input, ((i * length) + offset + t) * dim, dim);
                present[i * length + offset + t] = 1;
            }
        }
        NDArray mask = manager.create(present, new Shape(n, length));
        NDArray h = Layers.linear(manager.create(input, new Shape(n, length, dim)), p, "in")
                .add(manager.create(positionsFromEnd(length), new Shape(length, hidden)));
        NDArray attentionBias = mask.sub(1).mul(-MASKED_LOGIT).reshape(n, 1, 1, length);
        for (int b = 0; b < blocks; b++) {
            String block = "block" + b;
            NDArray a = Layers.layerNorm(h, p, block + ".ln1");
            NDArray context = attention(Layers.matrix(a, p, block + ".q"), Layers.matrix(a, p, block + ".k"),
                    Layers.matrix(a, p, block + ".v"), attentionBias, n, length);
            h = h.add(dropout.apply(Layers.linear(context, p, block + ".o")));
            NDArray f = Layers.gelu(Layers.linear(Layers.layerNorm(h, p, block + ".ln2"), p, block + ".ff1"));
            h = h.add(dropout.apply(Layers.linear(f, p, block + ".ff2")));
        }
        h = Layers.layerNorm(h, p, "final");
        NDArray last = h.get(":, -1, :");
        NDArray weights = mask.expandDims(2);
        NDArray mean = h.mul(weights).sum(new int[] {1}).div(weights.sum(new int[] {1}));
        NDArray pooled = dropout.apply(Layers.gelu(Layers.linear(NDArrays.concat(new NDList(last, mean), -1), p, "pool")));
        return Layers.linear(pooled, p, OUTPUT).reshape(n);
    }

    /** Scaled dot-product attention over [n, length, hidden] projections, split into heads. */
    private NDArray attention(NDArray q, NDArray k, NDArray v, NDArray bias, int n, int length) {
        int headDim = hidden / heads;
        NDArray qh = q.reshape(n, length, heads, headDim).transpose(0, 2, 1, 3);
        NDArray kh = k.reshape(n, length, heads, headDim).transpose(0, 2, 3, 1);
        NDArray vh = v.reshape(n, length, heads, headDim).transpose(0, 2, 1, 3);
        NDArray logits = qh.matMul(kh);
        NDArray scores = logits.div(Tensors.scalar(logits, Math.sqrt(headDim))).add(bias).softmax(-1);
        return scores.matMul(vh).transpose(0, 2, 1, 3).reshape(n, length, hidden);
    }

    /** Sinusoidal encodings (Vaswani et al. 2017) of the distance of each row from the last one. */
    private float[] positionsFromEnd(int length) {
        float[] table = new float[length * hidden];
        for (int row = 0; row < length; row++) {
            int distance = length - 1 - row;
            for (int i = 0; i < hidden; i++) {
                double frequency = Math.pow(10000, -(double) (i - i % 2) / hidden);
                double angle = distance * frequency;
                table[row * hidden + i] = (float) (i % 2 == 0 ? Math.sin(angle) : Math.cos(angle));
            }
        }
        return table;
    }
}

package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import dev.densify.api.algo.Tensors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Llama forward pass on DJL arrays. Every engine call costs microseconds whatever the tensor size, so for a
 * small model the number of calls per decoded token decides the speed. {@link #pack} therefore folds the
 * RMSNorm gains, the attention scale and the rotary rotation into fused projection weights once per call
 * (one matmul yields q, k, rot(q), rot(k) and v), scalars live in arrays (an op with a Java number first
 * creates a tensor), and {@link #decode} handles the one-token step with reshapes instead of transposes.
 */
final class Transformer {
    /** Additive mask value: finite, so that a fully masked (padding) row gives no NaN. */
    static final float MASKED = -1e9f;

    private Transformer() {}

    /**
     * Weights of one block in the layout the forward pass wants.
     *
     * @param qkv [dim, 2 * (q + k) + v]: columns q*g*scale, k*g, rot(q*g*scale), rot(k*g), v*g
     * @param qkvBias the same layout for q/k/v biases, or null
     * @param wo [dim, dim] (transposed o_proj)
     * @param gateUp [dim, 2 * hidden]: gate*g2 then up*g2
     * @param down [hidden, dim]
     */
    record Layer(NDArray qkv, NDArray qkvBias, NDArray wo, NDArray gateUp, NDArray down) {}

    /**
     * All packed weights.
     *
     * @param head (classifier * final norm gain) transposed, [dim, vocab]
     * @param meanColumn [dim, 1] of 1/dim: x^2 @ meanColumn is the mean square
     * @param epsilon [1]: the RMSNorm epsilon
     */
    record Packed(NDArray embedding, List<Layer> layers, NDArray head, NDArray meanColumn, NDArray epsilon) {
        /** The same weights with the head divided by a sampling temperature, so logits come out scaled. */
        Packed withTemperature(double temperature) {
            return new Packed(embedding, layers, head.div(temperature), meanColumn, epsilon);
        }
    }

    static Packed pack(Parameters p, boolean detached) {
        LlamaConfig c = p.config();
        int hs = c.headSize();
        double scale = 1.0 / Math.sqrt(hs);
        List<Layer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            NDArray g = p.effective(CanonicalNames.layer(i, CanonicalNames.ATTENTION_NORM), detached);
            NDArray wqNormed = p.effective(CanonicalNames.layer(i, CanonicalNames.Q_PROJ), detached).mul(g);
            NDArray wq = wqNormed.mul(Tensors.scalar(wqNormed, scale));
            NDArray wk = p.effective(CanonicalNames.layer(i, CanonicalNames.K_PROJ), detached).mul(g);
            NDArray wv = p.effective(CanonicalNames.layer(i, CanonicalNames.V_PROJ), detached).mul(g);
            NDArray qkv = NDArrays.concat(new NDList(wq, wk, Rope.rotateRows(wq, c.heads(), hs, c.ropeInterleaved()),
                    Rope.rotateRows(wk, c.kvHeads(), hs, c.ropeInterleaved()), wv), 0).transpose();
            NDArray bias = null;
            if (c.attentionBias()) {
                NDArray bqRaw = p.effective(CanonicalNames.layer(i, CanonicalNames.Q_BIAS), detached);
                NDArray bq = bqRaw.mul(Tensors.scalar(bqRaw, scale)).reshape(-1, 1);
                NDArray bk = p.effective(CanonicalNames.layer(i, CanonicalNames.K_BIAS), detached).reshape(-1, 1);
                NDArray bv = p.effective(CanonicalNames.layer(i, CanonicalNames.V_BIAS), detached).reshape(-1, 1);
                bias = NDArrays.concat(new NDList(bq, bk, Rope.rotateRows(bq, c.heads(), hs, c.ropeInterleaved()),
                        Rope.rotateRows(bk, c.kvHeads(), hs, c.ropeInterleaved()), bv), 0).reshape(-1);
            }
            NDArray wo = p.effective(CanonicalNames.layer(i, CanonicalNames.O_PROJ), detached).transpose();
            NDArray g2 = p.effective(CanonicalNames.layer(i, CanonicalNames.FFN_NORM), detached);
            NDArray gateUp = p.effective(CanonicalNames.layer(i, CanonicalNames.GATE_PROJ), detached).mul(g2)
                    .concat(p.effective(CanonicalNames.layer(i, CanonicalNames.UP_PROJ), detached).mul(g2), 0)
                    .transpose();
            NDArray down = p.effective(CanonicalNames.layer(i, CanonicalNames.DOWN_PROJ), detached).transpose();
            layers.add(new Layer(qkv, bias, wo, gateUp, down));
        }
        NDArray embedding = p.effective(CanonicalNames.EMBED_TOKENS, detached);
        NDArray classifier = c.tiedEmbeddings() ? embedding : p.effective(CanonicalNames.LM_HEAD, detached);
        NDArray head = classifier.mul(p.effective(CanonicalNames.FINAL_NORM, detached)).transpose();
        NDManager manager = p.manager();
        float[] mean = new float[c.dim()];
        Arrays.fill(mean, 1f / c.dim());
        return new Packed(embedding, layers, head, LlamaModel.owned(manager.create(mean, new Shape(c.dim(), 1))),
                LlamaModel.owned(manager.create(new float[] {(float) c.normEps()})));
    }

    /** x / sqrt(mean(x^2) + eps) over the last axis; the gain is folded into the next matmul. */
    static NDArray rmsNorm(Packed w, NDArray x) {
        return x.div(x.mul(x).matMul(w.meanColumn()).add(w.epsilon()).sqrt());
    }

    /** Rows of table [n, width] at integer indices [..] (differentiable in the table), shape [.., width]. */
    static NDArray embedTable(NDArray index, NDArray table) {
        return Embedding.embedding(index, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Logits [.., vocab] of final hidden states [.., dim]. */
    static NDArray logits(Packed w, NDArray hidden) {
        return rmsNorm(w, hidden).matMul(w.head());
    }

    /**
     * Runs every block over tokens [B, L] and returns the hidden state [B, L, dim] before the final norm.
     *
     * @param rope cos/sin per position, [B or 1, L, 2, 1, headSize] (or [L, 2, 1, headSize])
     * @param mask additive attention mask [B or 1, 1, 1, L, L]
     * @param cache when not null, receives the keys and values of positions [0, L) (a prompt's prefill)
     */
    static NDArray forward(LlamaConfig c, Packed w, NDArray tokens, NDArray rope, NDArray mask, KvCache cache) {
        long batch = tokens.getShape().get(0);
        long length = tokens.getShape().get(1);
        int hs = c.headSize();
        int kvHeads = c.kvHeads();
        int group = c.heads() / kvHeads;
        long qk = (long) (c.heads() + kvHeads) * hs;
        NDArray x = embedTable(tokens, w.embedding());
        for (int i = 0; i < c.layers(); i++) {
            Layer layer = w.layers().get(i);
            NDArray y = rmsNorm(w, x).matMul(layer.qkv());
            if (layer.qkvBias() != null) {
                y = y.add(layer.qkvBias());
            }
            NDList qkAndV = y.split(new long[] {2 * qk}, 2);
            NDArray roped = qkAndV.get(0).reshape(batch, length, 2, c.heads() + kvHeads, hs).mul(rope)
                    .sum(new int[] {2});
            NDList qAndK = roped.transpose(0, 2, 1, 3).split(new long[] {c.heads()}, 1);
            NDArray keysT = qAndK.get(1).transpose(0, 1, 3, 2);
            NDArray values = qkAndV.get(1).reshape(batch, length, kvHeads, hs).transpose(0, 2, 1, 3);
            if (cache != null) {
                cache.write(i, 0, keysT, values);
            }
            // query heads sharing a key/value head are stacked as extra rows: no repeated keys
            NDArray scores = qAndK.get(0).reshape(batch, kvHeads, group * length, hs).matMul(keysT)
                    .reshape(batch, kvHeads, group, length, length).add(mask)
                    .reshape(batch, kvHeads, group * length, length);
            NDArray attended = scores.softmax(-1).matMul(values).reshape(batch, c.heads(), length, hs)
                    .transpose(0, 2, 1, 3).reshape(batch, length, c.dim());
            x = x.add(attended.matMul(layer.wo()));
            x = x.add(feedForward(w, layer, x));
        }
        return x;
    }

    /**
     * One decoding step: feeds one token per row at cache column {@code column} and returns the hidden state
     * [B, 1, dim] before the final norm. With a single position, [B, heads, 1, hs] and [B, 1, heads, hs] share
     * one memory layout, so heads are reached by reshapes alone.
     *
     * @param rope cos/sin of each row's position, [B, 2, 1, headSize]
     * @param mask additive mask over the cache views' columns, [B, 1, 1, viewLength]
     */
    static NDArray decode(LlamaConfig c, Packed w, NDArray tokens, NDArray rope, NDArray mask, KvCache cache,
                          int column) {
        long batch = tokens.getShape().get(0);
        int hs = c.headSize();
        int kvHeads = c.kvHeads();
        int qkHeads = c.heads() + kvHeads;
        NDArray x = embedTable(tokens, w.embedding());
        for (int i = 0; i < c.layers(); i++) {
            Layer layer = w.layers().get(i);
            NDArray y = rmsNorm(w, x).matMul(layer.qkv());
            if (layer.qkvBias() != null) {
                y = y.add(layer.qkvBias());
            }
            NDList qkAndV = y.split(new long[] {2L * qkHeads * hs}, 2);
            NDList qAndK = qkAndV.get(0).reshape(batch, 2, qkHeads, hs).mul(rope).sum(new int[] {1})
                    .split(new long[] {c.heads()}, 1);
            cache.write(i, column, qAndK.get(1).reshape(batch, kvHeads, hs, 1),
                    qkAndV.get(1).reshape(batch, kvHeads, 1, hs));
            NDArray scores = qAndK.get(0).reshape(batch, kvHeads, c.heads() / kvHeads, hs)
                    .matMul(cache.keysView(i)).add(mask);
            NDArray attended = scores.softmax(-1).matMul(cache.valuesView(i)).reshape(batch, 1, c.dim());
            x = x.add(attended.matMul(layer.wo()));
            x = x.add(feedForward(w, layer, x));
        }
        return x;
    }

    /** SwiGLU: down(silu(gate x) * up x) on the normalised input. */
    private static NDArray feedForward(Packed w, Layer layer, NDArray x) {
        NDList gateUp = rmsNorm(w, x).matMul(layer.gateUp()).split(2, 2);
        NDArray gate = gateUp.get(0);
        return gate.mul(Activation.sigmoid(gate)).mul(gateUp.get(1)).matMul(layer.down());
    }
}

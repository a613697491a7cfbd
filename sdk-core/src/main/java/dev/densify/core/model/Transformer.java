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
import java.util.function.Function;

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
     * @param adapters the LoRA adapters kept apart from the weights above (a training forward with dropout), or
     *     {@link Adapters#NONE} when they are folded into them
     */
    record Layer(NDArray qkv, NDArray qkvBias, NDArray wo, NDArray gateUp, NDArray down, Adapters adapters) {}

    /**
     * A block's LoRA adapters as branches beside its fused projections, one per fused input (null: no adapter
     * there): the projection of input x becomes x W + branch(x).
     */
    record Adapters(Branch qkv, Branch wo, Branch gateUp, Branch down) {
        static final Adapters NONE = new Adapters(null, null, null, null);
    }

    /**
     * The adapters that read one fused input: scale * concat_t(dropout_t(x) A_t^T) B, the right-hand side in the
     * fused output layout.
     *
     * @param down each adapter's A^T [in, rank], with the norm gain the fused weight carries folded in
     * @param up every adapter's scale * B^T stacked [adapters * rank, fused out], zero outside its own columns
     */
    record Branch(List<NDArray> down, NDArray up) {
        NDArray apply(NDArray input, AdapterDropout dropout) {
            NDList hidden = new NDList(down.size());
            for (NDArray a : down) {
                hidden.add(dropout.apply(input).matMul(a));
            }
            return (hidden.size() == 1 ? hidden.get(0) : NDArrays.concat(hidden, -1)).matMul(up);
        }
    }

    /**
     * All packed weights.
     *
     * @param head (classifier * final norm gain) transposed, [dim, vocab]
     * @param meanColumn [dim, 1] of 1/dim: x^2 @ meanColumn is the mean square
     * @param epsilon [1]: the RMSNorm epsilon
     * @param dropout the masks of the adapter branches, or null when the layers have none
     */
    record Packed(NDArray embedding, List<Layer> layers, NDArray head, NDArray meanColumn, NDArray epsilon,
                  AdapterDropout dropout) {
        /** The same weights with the head divided by a sampling temperature, so logits come out scaled. */
        Packed withTemperature(double temperature) {
            return new Packed(embedding, layers, head.div(temperature), meanColumn, epsilon, dropout);
        }
    }

    /** The weights with the LoRA adapters folded in (W + scale * B A): any forward but a training one with dropout. */
    static Packed pack(Parameters p, boolean detached) {
        return pack(p, detached, null);
    }

    /**
     * The weights for a forward whose adapters see {@code dropout} on their input: the base weights packed alone and
     * the adapters as branches beside them. With null, or without adapters, the folded weights of
     * {@link #pack(Parameters, boolean)}.
     */
    static Packed pack(Parameters p, boolean detached, AdapterDropout dropout) {
        LlamaConfig c = p.config();
        int hs = c.headSize();
        double scale = 1.0 / Math.sqrt(hs);
        boolean branched = dropout != null && p.hasLora();
        Function<String, NDArray> weight = branched ? name -> p.baseWeight(name, detached)
                : name -> p.effective(name, detached);
        List<Layer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            NDArray g = weight.apply(CanonicalNames.layer(i, CanonicalNames.ATTENTION_NORM));
            NDArray wqNormed = weight.apply(CanonicalNames.layer(i, CanonicalNames.Q_PROJ)).mul(g);
            NDArray wq = wqNormed.mul(Tensors.scalar(wqNormed, scale));
            NDArray wk = weight.apply(CanonicalNames.layer(i, CanonicalNames.K_PROJ)).mul(g);
            NDArray wv = weight.apply(CanonicalNames.layer(i, CanonicalNames.V_PROJ)).mul(g);
            NDArray qkv = NDArrays.concat(new NDList(wq, wk, Rope.rotateRows(wq, c.heads(), hs, c.ropeInterleaved()),
                    Rope.rotateRows(wk, c.kvHeads(), hs, c.ropeInterleaved()), wv), 0).transpose();
            NDArray bias = null;
            if (c.attentionBias()) {
                NDArray bqRaw = weight.apply(CanonicalNames.layer(i, CanonicalNames.Q_BIAS));
                NDArray bq = bqRaw.mul(Tensors.scalar(bqRaw, scale)).reshape(-1, 1);
                NDArray bk = weight.apply(CanonicalNames.layer(i, CanonicalNames.K_BIAS)).reshape(-1, 1);
                NDArray bv = weight.apply(CanonicalNames.layer(i, CanonicalNames.V_BIAS)).reshape(-1, 1);
                bias = NDArrays.concat(new NDList(bq, bk, Rope.rotateRows(bq, c.heads(), hs, c.ropeInterleaved()),
                        Rope.rotateRows(bk, c.kvHeads(), hs, c.ropeInterleaved()), bv), 0).reshape(-1);
            }
            NDArray wo = weight.apply(CanonicalNames.layer(i, CanonicalNames.O_PROJ)).transpose();
            NDArray g2 = weight.apply(CanonicalNames.layer(i, CanonicalNames.FFN_NORM));
            NDArray gateUp = weight.apply(CanonicalNames.layer(i, CanonicalNames.GATE_PROJ)).mul(g2)
                    .concat(weight.apply(CanonicalNames.layer(i, CanonicalNames.UP_PROJ)).mul(g2), 0)
                    .transpose();
            NDArray down = weight.apply(CanonicalNames.layer(i, CanonicalNames.DOWN_PROJ)).transpose();
            layers.add(new Layer(qkv, bias, wo, gateUp, down,
                    branched ? adapters(p, i, detached, g, g2, scale) : Adapters.NONE));
        }
        NDArray embedding = weight.apply(CanonicalNames.EMBED_TOKENS);
        NDArray classifier = c.tiedEmbeddings() ? embedding : weight.apply(CanonicalNames.LM_HEAD);
        NDArray head = classifier.mul(weight.apply(CanonicalNames.FINAL_NORM)).transpose();
        NDManager manager = p.manager();
        float[] mean = new float[c.dim()];
        Arrays.fill(mean, 1f / c.dim());
        return new Packed(embedding, layers, head, LlamaModel.owned(manager.create(mean, new Shape(c.dim(), 1))),
                LlamaModel.owned(manager.create(new float[] {(float) c.normEps()})), branched ? dropout : null);
    }

    /**
     * Layer {@code i}'s adapters as branches in the fused layout of {@link #pack}: the q/k/v ones write the columns
     * q * attentionScale, k, rot(q * attentionScale), rot(k), v (rot is linear in the output rows, so it moves onto
     * B), the gate/up ones the columns gate, up; the norm gains g and g2 scale A's input columns as they scale W's.
     */
    private static Adapters adapters(Parameters p, int i, boolean detached, NDArray g, NDArray g2,
                                     double attentionScale) {
        LlamaConfig c = p.config();
        int hs = c.headSize();
        double s = p.lora().scale();
        long rank = p.lora().rank();
        NDManager manager = p.manager();
        Function<Long, NDArray> zeros = rows -> manager.zeros(new Shape(rows, rank));
        long q = (long) c.heads() * hs;
        long kv = (long) c.kvHeads() * hs;
        long hidden = c.hiddenDim();

        Stack qkv = new Stack();
        Parameters.Adapter aq = p.adapter(CanonicalNames.layer(i, CanonicalNames.Q_PROJ), detached);
        if (aq != null) {
            NDArray b = scaled(aq.b(), s * attentionScale);
            qkv.add(aq.a().mul(g), b, zeros.apply(kv), Rope.rotateRows(b, c.heads(), hs, c.ropeInterleaved()),
                    zeros.apply(kv), zeros.apply(kv));
        }
        Parameters.Adapter ak = p.adapter(CanonicalNames.layer(i, CanonicalNames.K_PROJ), detached);
        if (ak != null) {
            NDArray b = scaled(ak.b(), s);
            qkv.add(ak.a().mul(g), zeros.apply(q), b, zeros.apply(q),
                    Rope.rotateRows(b, c.kvHeads(), hs, c.ropeInterleaved()), zeros.apply(kv));
        }
        Parameters.Adapter av = p.adapter(CanonicalNames.layer(i, CanonicalNames.V_PROJ), detached);
        if (av != null) {
            qkv.add(av.a().mul(g), zeros.apply(q), zeros.apply(kv), zeros.apply(q), zeros.apply(kv),
                    scaled(av.b(), s));
        }
        Stack wo = new Stack();
        Parameters.Adapter ao = p.adapter(CanonicalNames.layer(i, CanonicalNames.O_PROJ), detached);
        if (ao != null) {
            wo.add(ao.a(), scaled(ao.b(), s));
        }
        Stack gateUp = new Stack();
        Parameters.Adapter agate = p.adapter(CanonicalNames.layer(i, CanonicalNames.GATE_PROJ), detached);
        if (agate != null) {
            gateUp.add(agate.a().mul(g2), scaled(agate.b(), s), zeros.apply(hidden));
        }
        Parameters.Adapter aup = p.adapter(CanonicalNames.layer(i, CanonicalNames.UP_PROJ), detached);
        if (aup != null) {
            gateUp.add(aup.a().mul(g2), zeros.apply(hidden), scaled(aup.b(), s));
        }
        Stack down = new Stack();
        Parameters.Adapter adown = p.adapter(CanonicalNames.layer(i, CanonicalNames.DOWN_PROJ), detached);
        if (adown != null) {
            down.add(adown.a(), scaled(adown.b(), s));
        }
        return new Adapters(qkv.branch(), wo.branch(), gateUp.branch(), down.branch());
    }

    private static NDArray scaled(NDArray b, double factor) {
        return b.mul(Tensors.scalar(b, factor));
    }

    /** Collects the adapters of one branch: each A and its B's blocks of the fused output rows. */
    private static final class Stack {
        private final List<NDArray> down = new ArrayList<>();
        private final NDList up = new NDList();

        void add(NDArray a, NDArray... outputRows) {
            down.add(a.transpose());
            up.add(outputRows.length == 1 ? outputRows[0] : NDArrays.concat(new NDList(outputRows), 0));
        }

        Branch branch() {
            return down.isEmpty() ? null
                    : new Branch(List.copyOf(down), (up.size() == 1 ? up.get(0) : NDArrays.concat(up, 1)).transpose());
        }
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
            NDArray y = project(w, rmsNorm(w, x), layer.qkv(), layer.adapters().qkv());
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
            x = x.add(project(w, attended, layer.wo(), layer.adapters().wo()));
            x = x.add(feedForward(w, layer, x));
        }
        return x;
    }

    /** input W, plus the adapters' branch on the dropped-out input when they are kept apart from W. */
    private static NDArray project(Packed w, NDArray input, NDArray weight, Branch adapters) {
        NDArray out = input.matMul(weight);
        return adapters == null ? out : out.add(adapters.apply(input, w.dropout()));
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
        NDList gateUp = project(w, rmsNorm(w, x), layer.gateUp(), layer.adapters().gateUp()).split(2, 2);
        NDArray gate = gateUp.get(0);
        return project(w, gate.mul(Activation.sigmoid(gate)).mul(gateUp.get(1)), layer.down(),
                layer.adapters().down());
    }
}

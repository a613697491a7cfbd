package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import dev.densify.core.model.io.CanonicalNames;
import java.util.ArrayList;
import java.util.List;

/**
 * The Llama forward pass on DJL arrays. Every JNI call costs microseconds whatever the tensor size, so for a
 * small model the op count per decoded token decides the speed: {@link #pack} folds the RMSNorm gains, the
 * attention scale and the rotary rotation into fused projection weights once per call, leaving one matmul for
 * q/k/v (and rotated q/k), one for gate/up, and no per-layer copies of the KV cache.
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

    /** All packed weights; head is (classifier * final norm gain) transposed, [dim, vocab]. */
    record Packed(NDArray embedding, List<Layer> layers, NDArray head) {}

    static Packed pack(Parameters p, boolean detached) {
        LlamaConfig c = p.config();
        int hs = c.headSize();
        double scale = 1.0 / Math.sqrt(hs);
        List<Layer> layers = new ArrayList<>(c.layers());
        for (int i = 0; i < c.layers(); i++) {
            NDArray g = p.effective(CanonicalNames.layer(i, CanonicalNames.ATTENTION_NORM), detached);
            NDArray wq = p.effective(CanonicalNames.layer(i, CanonicalNames.Q_PROJ), detached).mul(g).mul(scale);
            NDArray wk = p.effective(CanonicalNames.layer(i, CanonicalNames.K_PROJ), detached).mul(g);
            NDArray wv = p.effective(CanonicalNames.layer(i, CanonicalNames.V_PROJ), detached).mul(g);
            NDArray qkv = NDArrays.concat(new NDList(wq, wk, Rope.rotateRows(wq, c.heads(), hs, c.ropeInterleaved()),
                    Rope.rotateRows(wk, c.kvHeads(), hs, c.ropeInterleaved()), wv), 0).transpose();
            NDArray bias = null;
            if (c.attentionBias()) {
                NDArray bq = p.effective(CanonicalNames.layer(i, CanonicalNames.Q_BIAS), detached).mul(scale).reshape(-1, 1);
                NDArray bk = p.effective(CanonicalNames.layer(i, CanonicalNames.K_BIAS), detached).reshape(-1, 1);
                NDArray bv = p.effective(CanonicalNames.layer(i, CanonicalNames.V_BIAS), detached).reshape(-1, 1);
                bias = NDArrays.concat(new NDList(bq, bk, Rope.rotateRows(bq, c.heads(), hs, c.ropeInterleaved()),
                        Rope.rotateRows(bk, c.kvHeads(), hs, c.ropeInterleaved()), bv), 0).reshape(-1);
            }
            NDArray wo = p.effective(CanonicalNames.layer(i, CanonicalNames.O_PROJ), detached).transpose();
            NDArray g2 = p.effective(CanonicalNames.layer(i, CanonicalNames.FFN_NORM), detached);
            NDArray gateUp = p.effective(CanonicalNames.layer(i, CanonicalNames.GATE_PROJ), detached).mul(g2)
                    .concat(p.effective(CanonicalNames.layer(i, CanonicalNames.UP_PROJ), detached).mul(g2), 0).transpose();
            NDArray down = p.effective(CanonicalNames.layer(i, CanonicalNames.DOWN_PROJ), detached).transpose();
            layers.add(new Layer(qkv, bias, wo, gateUp, down));
        }
        NDArray embedding = p.effective(CanonicalNames.EMBED_TOKENS, detached);
        NDArray classifier = c.tiedEmbeddings() ? embedding : p.effective(CanonicalNames.LM_HEAD, detached);
        NDArray head = classifier.mul(p.effective(CanonicalNames.FINAL_NORM, detached)).transpose();
        return new Packed(embedding, layers, head);
    }

    /** x / sqrt(mean(x^2) + eps) over the last axis; the gain is folded into the next matmul. */
    static NDArray rmsNorm(NDArray x, double eps) {
        return x.div(x.square().mean(new int[] {-1}, true).add(eps).sqrt());
    }

    /** Rows of table [n, width] at integer indices [..] (differentiable in the table), shape [.., width]. */
    static NDArray embedTable(NDArray index, NDArray table) {
        return Embedding.embedding(index, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /** Logits [.., vocab] of final hidden states [.., dim]. */
    static NDArray logits(LlamaConfig c, Packed w, NDArray hidden) {
        return rmsNorm(hidden, c.normEps()).matMul(w.head());
    }

    /**
     * Runs every block over tokens [B, L] and returns the hidden state [B, L, dim] before the final norm.
     *
     * @param rope cos/sin per position, [B or 1, L, 2, 1, headSize] (or [L, 2, 1, headSize])
     * @param mask additive attention mask: [B or 1, 1, 1, L, T] in general, or [B, 1, 1, T] when L == 1, where T
     *     is the number of keys (start + L with a cache, L without)
     * @param cache keys/values of earlier positions, written at [start, start + L), or null to attend only within
     *     the given tokens
     */
    static NDArray forward(LlamaConfig c, Packed w, NDArray tokens, NDArray rope, NDArray mask, KvCache cache,
                           int start) {
        long batch = tokens.getShape().get(0);
        long length = tokens.getShape().get(1);
        int hs = c.headSize();
        long qk = (long) (c.heads() + c.kvHeads()) * hs;
        NDArray x = embedTable(tokens, w.embedding());
        for (int i = 0; i < c.layers(); i++) {
            Layer layer = w.layers().get(i);
            NDArray y = rmsNorm(x, c.normEps()).matMul(layer.qkv());
            if (layer.qkvBias() != null) {
                y = y.add(layer.qkvBias());
            }
            NDList qkAndV = y.split(new long[] {2 * qk}, 2);
            NDArray roped = qkAndV.get(0).reshape(batch, length, 2, c.heads() + c.kvHeads(), hs).mul(rope)
                    .sum(new int[] {2});
            NDList qAndK = roped.transpose(0, 2, 1, 3).split(new long[] {c.heads()}, 1);
            NDArray q = qAndK.get(0);
            NDArray keysT = qAndK.get(1).transpose(0, 1, 3, 2);
            NDArray values = qkAndV.get(1).reshape(batch, length, c.kvHeads(), hs).transpose(0, 2, 1, 3);
            if (cache != null) {
                cache.write(i, start, keysT, values);
                keysT = cache.keysT(i, start + (int) length);
                values = cache.values(i, start + (int) length);
            }
            x = x.add(attention(c, q, keysT, values, mask, batch, length).matMul(layer.wo()));
            NDList gateUp = rmsNorm(x, c.normEps()).matMul(layer.gateUp()).split(2, 2);
            NDArray gate = gateUp.get(0);
            x = x.add(gate.mul(Activation.sigmoid(gate)).mul(gateUp.get(1)).matMul(layer.down()));
        }
        return x;
    }

    /**
     * Grouped-query attention without repeating keys: the query heads sharing a key/value head are stacked as
     * extra rows, so q [B, heads, L, hs] becomes [B, kvHeads, group * L, hs] against keys [B, kvHeads, hs, T].
     */
    private static NDArray attention(LlamaConfig c, NDArray q, NDArray keysT, NDArray values, NDArray mask,
                                     long batch, long length) {
        int kvHeads = c.kvHeads();
        int group = c.heads() / kvHeads;
        long keys = keysT.getShape().get(3);
        NDArray scores = q.reshape(batch, kvHeads, group * length, c.headSize()).matMul(keysT);
        if (mask.getShape().dimension() == 4) {
            scores = scores.add(mask);
        } else {
            scores = scores.reshape(batch, kvHeads, group, length, keys).add(mask)
                    .reshape(batch, kvHeads, group * length, keys);
        }
        NDArray out = scores.softmax(-1).matMul(values);
        if (length == 1) {
            return out.reshape(batch, 1, c.dim());
        }
        return out.reshape(batch, c.heads(), length, c.headSize()).transpose(0, 2, 1, 3).reshape(batch, length, c.dim());
    }
}

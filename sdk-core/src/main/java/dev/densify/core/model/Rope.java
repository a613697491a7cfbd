package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * Rotary position embeddings, expressed so that applying them costs one multiply and one sum per layer:
 * rope(x) = x * cos + rot(x) * sin, where rot is a fixed signed permutation within each head. rot is linear, so
 * the projection computes rot(q) and rot(k) directly from row-rotated copies of the q/k weights, and the
 * per-position table holds cos and sin side by side.
 */
final class Rope {
    private Rope() {}

    /**
     * Row-major [maxSeqLen, 2, headSize]: for each position the cos values of one head, then the sin values. The
     * frequency of element d is theta^(-2i/headSize) with i = d/2 for the interleaved-pairs layout and
     * i = d mod headSize/2 for the rotate-half layout.
     */
    static float[] table(LlamaConfig c) {
        int hs = c.headSize();
        int half = hs / 2;
        float[] table = new float[c.maxSeqLen() * 2 * hs];
        for (int pos = 0; pos < c.maxSeqLen(); pos++) {
            int base = pos * 2 * hs;
            for (int d = 0; d < hs; d++) {
                int i = c.ropeInterleaved() ? d / 2 : d % half;
                double angle = pos * Math.pow(c.ropeTheta(), -2.0 * i / hs);
                table[base + d] = (float) Math.cos(angle);
                table[base + hs + d] = (float) Math.sin(angle);
            }
        }
        return table;
    }

    /**
     * rot applied to the output rows of a projection weight [heads * headSize, in] (or a bias reshaped to
     * [heads * headSize, 1]): interleaved pairs (a, b) become (-b, a); rotate-half halves (a, b) become (-b, a).
     */
    static NDArray rotateRows(NDArray w, int heads, int headSize, boolean interleaved) {
        long in = w.getShape().get(1);
        int axis = interleaved ? 2 : 1;
        NDArray grouped = interleaved ? w.reshape(heads, headSize / 2, 2, in) : w.reshape(heads, 2, headSize / 2, in);
        NDList parts = grouped.split(2, axis);
        return parts.get(1).neg().concat(parts.get(0), axis).reshape(w.getShape());
    }
}

package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Preallocated keys and values of every layer, written in place. Keys are stored transposed,
 * [B, kvHeads, headSize, capacity], and values as [B, kvHeads, capacity, headSize], so that the attended prefix is
 * a view both matmuls read without a copy. Those views grow in chunks of {@value #CHUNK} columns and are reused
 * between steps (columns not yet written are masked), which saves two slicing calls per layer and step.
 */
final class KvCache implements AutoCloseable {
    static final int CHUNK = 8;

    private final NDArray[] keysT;
    private final NDArray[] values;
    private final NDArray[] keyViews;
    private final NDArray[] valueViews;
    private final int capacity;
    private int viewLength;

    KvCache(LlamaConfig c, NDManager manager, int batch, int capacity) {
        this.capacity = capacity;
        keysT = new NDArray[c.layers()];
        values = new NDArray[c.layers()];
        keyViews = new NDArray[c.layers()];
        valueViews = new NDArray[c.layers()];
        for (int i = 0; i < c.layers(); i++) {
            keysT[i] = persistent(manager.zeros(new Shape(batch, c.kvHeads(), c.headSize(), capacity)));
            values[i] = persistent(manager.zeros(new Shape(batch, c.kvHeads(), capacity, c.headSize())));
        }
    }

    static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    int capacity() {
        return capacity;
    }

    /** Stores keys [B, kvHeads, headSize, L] and values [B, kvHeads, L, headSize] at columns [start, start + L). */
    void write(int layer, int start, NDArray newKeysT, NDArray newValues) {
        long end = start + newValues.getShape().get(2);
        keysT[layer].set(new NDIndex().addAllDim(3).addSliceDim(start, end), newKeysT);
        values[layer].set(new NDIndex().addAllDim(2).addSliceDim(start, end), newValues);
    }

    /** Makes the views cover at least {@code length} columns; returns their length (a multiple of the chunk). */
    int prepareViews(int length) {
        int wanted = Math.min(capacity, (length + CHUNK - 1) / CHUNK * CHUNK);
        if (wanted != viewLength) {
            closeViews();
            for (int i = 0; i < keysT.length; i++) {
                keyViews[i] = persistent(keysT[i].get(new NDIndex().addAllDim(3).addSliceDim(0, wanted)));
                valueViews[i] = persistent(values[i].get(new NDIndex().addAllDim(2).addSliceDim(0, wanted)));
            }
            viewLength = wanted;
        }
        return viewLength;
    }

    NDArray keysView(int layer) {
        return keyViews[layer];
    }

    NDArray valuesView(int layer) {
        return valueViews[layer];
    }

    /** Keeps the given batch rows (in that order, repeats copied), dropping finished sequences from further steps. */
    void retain(NDArray rows) {
        closeViews();
        for (int i = 0; i < keysT.length; i++) {
            keysT[i] = replace(keysT[i], keysT[i].get(rows));
            values[i] = replace(values[i], values[i].get(rows));
        }
    }

    private static NDArray replace(NDArray old, NDArray replacement) {
        old.close();
        return persistent(replacement);
    }

    private void closeViews() {
        for (int i = 0; i < keyViews.length; i++) {
            if (keyViews[i] != null) {
                keyViews[i].close();
                valueViews[i].close();
                keyViews[i] = null;
                valueViews[i] = null;
            }
        }
        viewLength = 0;
    }

    @Override
    public void close() {
        closeViews();
        for (int i = 0; i < keysT.length; i++) {
            keysT[i].close();
            values[i].close();
        }
    }
}

package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Preallocated keys and values of every layer, written in place. Keys are stored transposed,
 * [B, kvHeads, headSize, capacity], and values as [B, kvHeads, capacity, headSize], so that the prefix a step
 * attends to is a view both matmuls read without a copy.
 */
final class KvCache implements AutoCloseable {
    private final NDArray[] keysT;
    private final NDArray[] values;
    private final int capacity;

    KvCache(LlamaConfig c, NDManager manager, int batch, int capacity) {
        this.capacity = capacity;
        keysT = new NDArray[c.layers()];
        values = new NDArray[c.layers()];
        for (int i = 0; i < c.layers(); i++) {
            keysT[i] = persistent(manager.zeros(new Shape(batch, c.kvHeads(), c.headSize(), capacity)));
            values[i] = persistent(manager.zeros(new Shape(batch, c.kvHeads(), capacity, c.headSize())));
        }
    }

    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    int capacity() {
        return capacity;
    }

    void write(int layer, int start, NDArray newKeysT, NDArray newValues) {
        long end = start + newValues.getShape().get(2);
        keysT[layer].set(new NDIndex().addAllDim(3).addSliceDim(start, end), newKeysT);
        values[layer].set(new NDIndex().addAllDim(2).addSliceDim(start, end), newValues);
    }

    NDArray keysT(int layer, int length) {
        return keysT[layer].get(new NDIndex().addAllDim(3).addSliceDim(0, length));
    }

    NDArray values(int layer, int length) {
        return values[layer].get(new NDIndex().addAllDim(2).addSliceDim(0, length));
    }

    /** Keeps only the given batch rows (in that order), dropping finished sequences from further steps. */
    void retain(NDArray rows) {
        for (int i = 0; i < keysT.length; i++) {
            keysT[i] = replace(keysT[i], keysT[i].get(rows));
            values[i] = replace(values[i], values[i].get(rows));
        }
    }

    private static NDArray replace(NDArray old, NDArray replacement) {
        old.close();
        return persistent(replacement);
    }

    @Override
    public void close() {
        for (int i = 0; i < keysT.length; i++) {
            keysT[i].close();
            values[i].close();
        }
    }
}

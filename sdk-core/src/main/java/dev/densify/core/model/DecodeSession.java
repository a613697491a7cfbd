package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * Incremental decoding of a batch of prompts with a KV cache. Prompts are left-padded to a common width so that
 * every row writes the same cache column each step; pad keys are masked out and each row's rotary positions
 * start at its first real token, so a padded row computes what it would alone.
 */
final class DecodeSession implements AutoCloseable {
    private final LlamaConfig config;
    private final Transformer.Packed weights;
    private final NDArray ropeTable;
    private final NDManager manager;
    private final KvCache cache;
    private final int width;
    private int[] pads;
    private NDArray decodeMask;
    private NDArray maskView;
    private int maskViewLength;
    private int next;

    /**
     * @param ropeTable [maxSeqLen, 2 * headSize] from {@link Rope#table}
     * @param capacity cache columns: the prompt width plus the tokens that will be fed back
     */
    DecodeSession(LlamaConfig config, Transformer.Packed weights, NDArray ropeTable, NDManager manager,
                  List<int[]> prompts, int capacity) {
        this.config = config;
        this.weights = weights;
        this.ropeTable = ropeTable;
        this.manager = manager;
        this.width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        this.pads = prompts.stream().mapToInt(p -> width - p.length).toArray();
        this.cache = new KvCache(config, manager, prompts.size(), capacity);
        // pads and not yet written columns start masked; each step unmasks the column it writes
        float[] mask = new float[pads.length * capacity];
        for (int b = 0; b < pads.length; b++) {
            for (int j = 0; j < capacity; j++) {
                mask[b * capacity + j] = j < pads[b] || j >= width ? Transformer.MASKED : 0;
            }
        }
        decodeMask = manager.create(mask, new Shape(pads.length, 1, 1, capacity));
        NDScope.unregister(decodeMask);
    }

    /** Runs the prompts and returns the logits [B, vocab] of each one's next token. */
    NDArray prefill(List<int[]> prompts) {
        int batch = prompts.size();
        long[] tokens = new long[batch * width];
        long[] positions = new long[batch * width];
        float[] mask = new float[batch * width * width];
        for (int b = 0; b < batch; b++) {
            int[] prompt = prompts.get(b);
            for (int j = 0; j < width; j++) {
                int position = j - pads[b];
                tokens[b * width + j] = position >= 0 ? prompt[position] : 0;
                positions[b * width + j] = Math.max(position, 0);
                for (int k = 0; k < width; k++) {
                    // a pad query may see itself only, which keeps its (unused) row finite
                    boolean visible = k <= j && (k >= pads[b] || k == j);
                    mask[(b * width + j) * width + k] = visible ? 0 : Transformer.MASKED;
                }
            }
        }
        NDArray hidden = Transformer.forward(config, weights, manager.create(tokens, new Shape(batch, width)),
                rope(positions, batch, width).reshape(batch, width, 2, 1, config.headSize()),
                manager.create(mask, new Shape(batch, 1, 1, width, width)), cache);
        next = width;
        NDArray last = hidden.get(new NDIndex().addAllDim().addSliceDim(width - 1, width));
        return Transformer.logits(weights, last).reshape(batch, -1);
    }

    /** Feeds one token per row and returns the logits [B, vocab] of the following token. */
    NDArray step(int[] tokens) {
        int batch = pads.length;
        if (next >= cache.capacity()) {
            throw new IllegalStateException("KV cache of " + cache.capacity() + " positions is full");
        }
        long[] ids = new long[batch];
        long[] positions = new long[batch];
        for (int b = 0; b < batch; b++) {
            ids[b] = tokens[b];
            positions[b] = next - pads[b];
        }
        decodeMask.set(new NDIndex().addAllDim(3).addSliceDim(next, next + 1), 0f);
        int viewLength = cache.prepareViews(next + 1);
        if (viewLength != maskViewLength) {
            closeMaskView();
            maskView = KvCache.persistent(decodeMask.get(new NDIndex().addAllDim(3).addSliceDim(0, viewLength)));
            maskViewLength = viewLength;
        }
        NDArray hidden = Transformer.decode(config, weights, manager.create(ids, new Shape(batch, 1)),
                rope(positions, batch, 1).reshape(batch, 2, 1, config.headSize()), maskView, cache, next);
        next++;
        return Transformer.logits(weights, hidden).reshape(batch, -1);
    }

    /** Keeps the given rows, in that order; a row given twice is copied (equal prompts share a prefill). */
    void retain(int[] rows) {
        long[] index = new long[rows.length];
        int[] kept = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            index[i] = rows[i];
            kept[i] = pads[rows[i]];
        }
        try (NDArray indexArray = manager.create(index)) {
            closeMaskView();
            cache.retain(indexArray);
            NDArray mask = decodeMask.get(indexArray);
            NDScope.unregister(mask);
            decodeMask.close();
            decodeMask = mask;
        }
        pads = kept;
    }

    /** cos/sin rows [B, L, 2 * headSize] of the given positions. */
    private NDArray rope(long[] positions, int batch, int length) {
        return Transformer.embedTable(manager.create(positions, new Shape(batch, length)), ropeTable);
    }

    private void closeMaskView() {
        if (maskView != null) {
            maskView.close();
            maskView = null;
            maskViewLength = 0;
        }
    }

    @Override
    public void close() {
        closeMaskView();
        cache.close();
        decodeMask.close();
    }
}

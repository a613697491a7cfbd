package dev.densify.core.model;

import java.nio.IntBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The distinct prompts of a batch: equal prompts are prefilled once and their caches copied (a group's episodes start
 * from one observation, and often meet again).
 *
 * @param first for each distinct prompt, in order of first appearance, the row it first appears in
 * @param source for each row, the index of its prompt among the distinct ones
 */
record EqualPrompts(int[] first, int[] source) {
    static EqualPrompts of(List<int[]> prompts) {
        // an IntBuffer compares and hashes by content: no boxing of every token
        Map<IntBuffer, Integer> index = new HashMap<>();
        int[] first = new int[prompts.size()];
        int[] source = new int[prompts.size()];
        for (int b = 0; b < prompts.size(); b++) {
            int next = index.size();
            int k = index.computeIfAbsent(IntBuffer.wrap(prompts.get(b)), key -> next);
            if (k == next) {
                first[next] = b;
            }
            source[b] = k;
        }
        return new EqualPrompts(java.util.Arrays.copyOf(first, index.size()), source);
    }

    int count() {
        return first.length;
    }

    /** Whether some rows share a prompt. */
    boolean anyEqual() {
        return first.length < source.length;
    }
}

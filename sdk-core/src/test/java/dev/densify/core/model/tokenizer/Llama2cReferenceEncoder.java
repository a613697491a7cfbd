package dev.densify.core.model.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A direct port of llama2.c's quadratic {@code encode} (run.c), as the oracle the priority-queue encoder must
 * agree with. Like llama2.c it looks pieces up in the whole vocabulary and hard-codes byte fallbacks at id b + 3.
 */
final class Llama2cReferenceEncoder {
    private Llama2cReferenceEncoder() {}

    static int[] encode(List<String> vocab, float[] scores, String text, boolean bos) {
        List<Integer> tokens = new ArrayList<>();
        if (bos) {
            tokens.add(1);
        }
        if (!text.isEmpty()) {
            tokens.add(vocab.indexOf(" "));
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        int start = 0;
        while (start < bytes.length) {
            int end = start + 1;
            while (end < bytes.length && (bytes[end] & 0xC0) == 0x80 && end - start < 4) {
                end++;
            }
            String character = new String(bytes, start, end - start, StandardCharsets.UTF_8);
            int id = vocab.indexOf(character);
            if (id != -1) {
                tokens.add(id);
            } else {
                for (int i = start; i < end; i++) {
                    tokens.add((bytes[i] & 0xFF) + 3);
                }
            }
            start = end;
        }
        while (true) {
            float bestScore = -1e10f;
            int bestId = -1;
            int bestIdx = -1;
            for (int i = 0; i < tokens.size() - 1; i++) {
                int id = vocab.indexOf(vocab.get(tokens.get(i)) + vocab.get(tokens.get(i + 1)));
                if (id != -1 && scores[id] > bestScore) {
                    bestScore = scores[id];
                    bestId = id;
                    bestIdx = i;
                }
            }
            if (bestIdx == -1) {
                break;
            }
            tokens.set(bestIdx, bestId);
            tokens.remove(bestIdx + 1);
        }
        return tokens.stream().mapToInt(Integer::intValue).toArray();
    }
}

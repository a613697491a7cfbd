package dev.densify.rm.encoder;

import dev.densify.api.API;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A text encoder that needs no model: signed feature hashing (Weinberger et al. 2009) of the lower-cased text's
 * words and of the character 3-grams of each word padded with spaces, counts damped by {@code log(1 + c)}, the
 * vector scaled to unit length. Words and their spellings are kept, meaning is not: two synonyms are as far apart
 * as two unrelated words. It is the choice for logs whose rewards depend on which words occur, or when no
 * checkpoint is at hand; a language model's hidden states ({@code encoder.kind=llama}) generalise across wording.
 * FNV-1a over UTF-8 bytes makes the vectors the same on every JVM.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class HashingTextEncoder implements TextEncoder {
    private final int dimension;

    public HashingTextEncoder(int dimension) {
        if (dimension < 8) {
            throw new IllegalArgumentException("a hashing encoder needs a dimension of at least 8, got " + dimension);
        }
        this.dimension = dimension;
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public float[][] encode(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = encode(Objects.requireNonNull(texts.get(i), "text"));
        }
        return out;
    }

    private float[] encode(String text) {
        double[] counts = new double[dimension];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            add(counts, "w:" + word);
            String padded = " " + word + " ";
            for (int k = 0; k + 3 <= padded.length(); k++) {
                add(counts, "c:" + padded.substring(k, k + 3));
            }
        }
        double norm = 0;
        for (int d = 0; d < dimension; d++) {
            counts[d] = Math.signum(counts[d]) * Math.log1p(Math.abs(counts[d]));
            norm += counts[d] * counts[d];
        }
        float[] vector = new float[dimension];
        if (norm > 0) {
            double scale = 1 / Math.sqrt(norm);
            for (int d = 0; d < dimension; d++) {
                vector[d] = (float) (counts[d] * scale);
            }
        }
        return vector;
    }

    private void add(double[] counts, String feature) {
        long h = 0xcbf29ce484222325L;
        for (byte b : feature.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        int bucket = (int) Math.floorMod(h >>> 1, (long) dimension);
        counts[bucket] += (h & 1) == 0 ? 1 : -1;
    }

    @Override
    public void close() {}
}

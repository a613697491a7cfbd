package dev.densify.core.model;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Picks next tokens on the Java side from probabilities the engine computed (softmax of logits / temperature),
 * with a seeded generator per row so that a batch is reproducible and its rows independent.
 */
final class Sampler {
    private final SamplingOptions options;

    Sampler(SamplingOptions options) {
        this.options = options;
    }

    /** A token and its log-probability under the (filtered, renormalised) distribution it was drawn from. */
    record Pick(int token, float logProb) {}

    /**
     * @param probs row-major [rows, vocab] probabilities of the softmax actually used
     * @param row which row of probs
     */
    Pick pick(float[] probs, int row, int vocab, SplittableRandom random) {
        int offset = row * vocab;
        if (options.isGreedy()) {
            int best = 0;
            for (int i = 1; i < vocab; i++) {
                if (probs[offset + i] > probs[offset + best]) {
                    best = i;
                }
            }
            return new Pick(best, (float) Math.log(probs[offset + best]));
        }
        boolean filtered = options.topK() > 0 && options.topK() < vocab || options.topP() < 1;
        return filtered ? pickFiltered(probs, offset, vocab, random) : pickFull(probs, offset, vocab, random);
    }

    private static Pick pickFull(float[] probs, int offset, int vocab, SplittableRandom random) {
        double total = 0;
        for (int i = 0; i < vocab; i++) {
            total += probs[offset + i];
        }
        double u = random.nextDouble() * total;
        double cumulative = 0;
        int chosen = -1;
        for (int i = 0; i < vocab; i++) {
            float p = probs[offset + i];
            if (p > 0) {
                chosen = i;
                cumulative += p;
                if (u < cumulative) {
                    break;
                }
            }
        }
        return new Pick(chosen, (float) Math.log(probs[offset + chosen] / total));
    }

    /** Most likely first (ties: lower id first), cut by top-k then top-p, then drawn in that order. */
    private Pick pickFiltered(float[] probs, int offset, int vocab, SplittableRandom random) {
        long[] keys = new long[vocab];
        for (int i = 0; i < vocab; i++) {
            // probabilities are non-negative, so their float bits sort like their values
            keys[i] = ((long) Float.floatToIntBits(probs[offset + i]) << 32) | (0xFFFFFFFFL - i);
        }
        Arrays.sort(keys);
        int keep = options.topK() > 0 ? Math.min(options.topK(), vocab) : vocab;
        double kept = 0;
        for (int r = 0; r < keep; r++) {
            kept += probs[offset + idAt(keys, r)];
        }
        if (options.topP() < 1) {
            double cumulative = 0;
            int n = 0;
            while (n < keep) {
                cumulative += probs[offset + idAt(keys, n)];
                n++;
                if (cumulative >= options.topP() * kept) {
                    break;
                }
            }
            keep = n;
            kept = cumulative;
        }
        double u = random.nextDouble() * kept;
        double cumulative = 0;
        int chosen = idAt(keys, 0);
        for (int r = 0; r < keep; r++) {
            int id = idAt(keys, r);
            if (probs[offset + id] > 0) {
                chosen = id;
                cumulative += probs[offset + id];
                if (u < cumulative) {
                    break;
                }
            }
        }
        return new Pick(chosen, (float) Math.log(probs[offset + chosen] / kept));
    }

    /** The id at rank r (0 = most likely) of keys sorted ascending. */
    private static int idAt(long[] keys, int r) {
        return (int) (0xFFFFFFFFL - (keys[keys.length - 1 - r] & 0xFFFFFFFFL));
    }
}

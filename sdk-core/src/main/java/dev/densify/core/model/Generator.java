package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The sampling loop over a batch of prompts: one cached forward step per token, Java-side sampling, and rows
 * leaving the batch (and the KV cache) as they finish. Safe to run on several threads at once for different
 * rows: every thread has its own session and scopes, and the packed weights are only read.
 */
final class Generator {
    private final LlamaConfig config;
    private final Tokenizer tokenizer;
    private final Transformer.Packed weights;
    private final NDArray ropeTable;
    private final NDManager parent;
    private final SamplingOptions options;
    private final Sampler sampler;
    private final GenerationClock clock;

    Generator(LlamaConfig config, Tokenizer tokenizer, Transformer.Packed weights, NDArray ropeTable, NDManager parent,
              SamplingOptions options, GenerationClock clock) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.weights = weights;
        this.ropeTable = ropeTable;
        this.parent = parent;
        this.options = options;
        this.sampler = new Sampler(options);
        this.clock = clock;
    }

    /**
     * Generates until every row is finished; rows[i] continues prompts[i]. Equal prompts are prefilled once and
     * their cache rows copied (the episodes of a group start from the same observation, and often meet again).
     */
    void decode(List<int[]> prompts, Row[] rows) {
        int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int maxBudget = Arrays.stream(rows).mapToInt(r -> r.tokens.length).max().orElseThrow();
        int vocab = config.vocabSize();
        EqualPrompts equal = EqualPrompts.of(prompts);
        List<int[]> distinct = Arrays.stream(equal.first()).mapToObj(prompts::get).toList();
        try (NDManager manager = parent.newSubManager();
             DecodeSession session = new DecodeSession(config, weights, ropeTable, manager, distinct,
                     width + maxBudget - 1)) {
            float[] probs;
            long start = System.nanoTime();
            try (NDScope step = new NDScope()) {
                step.suppressNotUsedWarning();
                probs = session.prefill(distinct).softmax(-1).toFloatArray();
            }
            if (equal.anyEqual()) {
                int[] source = equal.source();
                session.retain(source);
                float[] each = new float[prompts.size() * vocab];
                for (int b = 0; b < source.length; b++) {
                    System.arraycopy(probs, source[b] * vocab, each, b * vocab, vocab);
                }
                probs = each;
            }
            long prefilled = System.nanoTime();
            clock.prefill.add(prefilled - start);
            try {
                decodeFrom(session, probs, rows, vocab);
            } finally {
                clock.decode.add(System.nanoTime() - prefilled);
            }
        }
    }

    private void decodeFrom(DecodeSession session, float[] probs, Row[] rows, int vocab) {
        int[] active = new int[rows.length];
        Arrays.setAll(active, i -> i);
        while (true) {
            int[] keep = new int[active.length];
            int kept = 0;
            for (int slot = 0; slot < active.length; slot++) {
                Row row = rows[active[slot]];
                if (!row.add(sampler.pick(probs, slot, vocab, row.random), tokenizer, options)) {
                    keep[kept++] = slot;
                }
            }
            if (kept == 0) {
                return;
            }
            if (kept < active.length) {
                keep = Arrays.copyOf(keep, kept);
                session.retain(keep);
                int[] remaining = new int[kept];
                for (int i = 0; i < kept; i++) {
                    remaining[i] = active[keep[i]];
                }
                active = remaining;
            }
            int[] tokens = new int[active.length];
            for (int slot = 0; slot < active.length; slot++) {
                tokens[slot] = rows[active[slot]].last();
            }
            try (NDScope step = new NDScope()) {
                step.suppressNotUsedWarning();
                probs = session.step(tokens).softmax(-1).toFloatArray();
            }
        }
    }

    /** One prompt's growing continuation. */
    static final class Row {
        private final int[] tokens;
        private final float[] logProbs;
        private final SplittableRandom random;
        private int count;
        private StopReason reason;
        private int stopAt = -1;

        /** @param budget most tokens this row may generate (max new tokens, or what the context leaves) */
        Row(int budget, SplittableRandom random) {
            this.tokens = new int[budget];
            this.logProbs = new float[budget];
            this.random = random;
        }

        /** Appends a token; true when the row is finished. */
        boolean add(Sampler.Pick pick, Tokenizer tok, SamplingOptions options) {
            tokens[count] = pick.token();
            logProbs[count] = pick.logProb();
            count++;
            if (pick.token() == tok.eos()) {
                reason = StopReason.EOS;
            } else if (!options.stopStrings().isEmpty() && findStop(tok.decode(Arrays.copyOf(tokens, count)),
                    options.stopStrings())) {
                reason = StopReason.STOP_STRING;
            } else if (count == options.maxNewTokens()) {
                reason = StopReason.MAX_TOKENS;
            } else if (count == tokens.length) {
                reason = StopReason.CONTEXT_FULL;
            }
            return reason != null;
        }

        private boolean findStop(String text, List<String> stops) {
            for (String stop : stops) {
                int at = text.indexOf(stop);
                if (at >= 0 && (stopAt < 0 || at < stopAt)) {
                    stopAt = at;
                }
            }
            return stopAt >= 0;
        }

        int last() {
            return tokens[count - 1];
        }

        /** Most tokens this row may generate. */
        int budget() {
            return tokens.length;
        }

        SplittableRandom random() {
            return random;
        }

        Generation toGeneration(Tokenizer tok) {
            int[] ids = Arrays.copyOf(tokens, count);
            String text = tok.decode(ids);
            if (reason == StopReason.STOP_STRING) {
                text = text.substring(0, stopAt);
            }
            return new Generation(ids, Arrays.copyOf(logProbs, count), text, reason);
        }
    }
}

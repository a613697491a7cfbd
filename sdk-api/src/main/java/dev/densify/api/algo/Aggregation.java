package dev.densify.api.algo;

import dev.densify.api.API;

/**
 * How {@link ClippedSurrogate} turns the per-token losses of a mini-batch into one scalar. Configuration values
 * name the constants in lower case with dashes: {@code token-mean}, {@code seq-mean-token-mean}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum Aggregation {
    /**
     * Mean over every counted token of the mini-batch (DAPO): long responses weigh in proportion to their
     * length, so no token's gradient is diluted by belonging to a long sequence.
     */
    TOKEN_MEAN,
    /**
     * Mean over the tokens of each sequence, then mean over sequences with at least one counted token (the
     * original GRPO): every sequence weighs the same whatever its length.
     */
    SEQ_MEAN_TOKEN_MEAN
}

package dev.densify.core.model;

import dev.densify.api.API;

/** Why a generation ended. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum StopReason {
    /** The model produced the tokenizer's end-of-sequence token (kept as the last token id). */
    EOS,
    /** The text contained one of the stop strings. */
    STOP_STRING,
    /** {@link SamplingOptions#maxNewTokens()} tokens were generated. */
    MAX_TOKENS,
    /** Prompt plus generated tokens filled the model's context ({@link LlamaConfig#maxSeqLen()}). */
    CONTEXT_FULL
}

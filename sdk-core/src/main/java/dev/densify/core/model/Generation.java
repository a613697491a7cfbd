package dev.densify.core.model;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Objects;

/**
 * One prompt's continuation.
 *
 * @param tokenIds every generated token in order, exactly as sampled: an end-of-sequence token and the tokens
 *     that completed a stop string are kept, since a learner trains on exactly these ids
 * @param logProbs per token, its log-probability under the distribution it was drawn from (after temperature,
 *     top-k and top-p; for greedy decoding the log-softmax of the raw logits)
 * @param text {@code tokenizer.decode(tokenIds)}, cut just before the first stop string when one occurred
 * @param stopReason why generation ended
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Generation(int[] tokenIds, float[] logProbs, String text, StopReason stopReason) {
    public Generation {
        Objects.requireNonNull(tokenIds, "tokenIds");
        Objects.requireNonNull(logProbs, "logProbs");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(stopReason, "stopReason");
        if (tokenIds.length != logProbs.length) {
            throw new IllegalArgumentException("one log-prob per token: " + tokenIds.length + " tokens, "
                    + logProbs.length + " log-probs");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Generation g && Arrays.equals(tokenIds, g.tokenIds) && Arrays.equals(logProbs, g.logProbs)
                && text.equals(g.text) && stopReason == g.stopReason;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(tokenIds), Arrays.hashCode(logProbs), text, stopReason);
    }

    @Override
    public String toString() {
        return "Generation[" + tokenIds.length + " tokens, " + stopReason + ", text=" + text + "]";
    }
}

package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import dev.densify.api.API;
import java.util.Objects;

/**
 * The training forward's per-position outputs for a right-padded batch, each [batch, maxLength - 1], attached
 * to the manager the caller passed.
 *
 * @param logProbs log p(seq[i+1] | seq[0..i]) under the current parameters; differentiable
 * @param entropy entropy of the predicted distribution at position i; differentiable
 * @param mask 1 where i + 1 is inside the sequence, 0 over padding
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TokenScores(NDArray logProbs, NDArray entropy, NDArray mask) {
    public TokenScores {
        Objects.requireNonNull(logProbs, "logProbs");
        Objects.requireNonNull(entropy, "entropy");
        Objects.requireNonNull(mask, "mask");
    }
}

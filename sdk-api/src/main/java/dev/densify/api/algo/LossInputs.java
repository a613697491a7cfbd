package dev.densify.api.algo;

import ai.djl.ndarray.NDArray;
import dev.densify.api.API;
import java.util.Objects;
import java.util.Optional;

/**
 * Token-aligned tensors of one mini-batch, all of shape [batch, tokens].
 *
 * @param logProbs log pi_theta(token) from the learner's fresh forward pass (carries gradients)
 * @param oldLogProbs log-probs recorded when the tokens were sampled
 * @param referenceLogProbs log-probs under the frozen reference policy, present when the optimizer asks
 * @param advantages the step advantage, repeated over the step's action tokens
 * @param mask 1 for action tokens that count, 0 for prompt and padding
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record LossInputs(NDArray logProbs, NDArray oldLogProbs, Optional<NDArray> referenceLogProbs,
                         NDArray advantages, NDArray mask) {
    public LossInputs {
        Objects.requireNonNull(logProbs, "logProbs");
        Objects.requireNonNull(oldLogProbs, "oldLogProbs");
        Objects.requireNonNull(referenceLogProbs, "referenceLogProbs");
        Objects.requireNonNull(advantages, "advantages");
        Objects.requireNonNull(mask, "mask");
    }
}

package dev.densify.api.algo;

import dev.densify.api.API;
import java.util.List;

/**
 * A policy-gradient algorithm in two halves: step-level advantages for a batch of episodes (pure numbers,
 * testable without tensors), and the token-level training loss from the policy's fresh log-probabilities.
 * The learner in densify's core owns batching, forward and backward passes, gradient clipping and the
 * optimizer step; it gives each step's advantage to every action token of that step.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface PolicyOptimizer {

    /** Whether advantages use the critic's values (PPO with GAE); otherwise values are passed but ignored. */
    default boolean usesCritic() {
        return false;
    }

    /** Whether the loss needs log-probabilities under a frozen reference policy (a KL term). */
    default boolean usesReference() {
        return false;
    }

    /** One advantage per step of each episode, in order. */
    List<StepAdvantages> advantages(List<EpisodeRewards> batch);

    /** The loss to minimise and its diagnostics, over the tokens selected by {@link LossInputs#mask()}. */
    PolicyLoss loss(LossInputs inputs);
}

package dev.densify.algo.grpo;

import dev.densify.api.algo.Aggregation;
import dev.densify.api.algo.ClippedSurrogate;
import dev.densify.api.algo.LossInputs;
import dev.densify.api.algo.PolicyLoss;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.config.Ranges;

/**
 * The loss GRPO, RLOO and GiGPO share, the clipped surrogate with the k3 KL to the reference when beta is above 0;
 * each of them adds only its advantages.
 */
abstract class ClippedSurrogateOptimizer implements PolicyOptimizer {
    private final ClippedSurrogate surrogate;

    /**
     * The ranges of the keys GRPO, RLOO and GiGPO share, which each of their configurations checks first: the loss's
     * {@code eps_low} in [0, 1), {@code eps_high} in [0, 10] and {@code beta} in [0, 100], and the returns'
     * {@code gamma} in [0, 1].
     */
    static void requireSharedRanges(double epsLow, double epsHigh, double beta, double gamma) {
        Ranges.requireAtLeastAndBelow("eps_low", epsLow, 0, 1);
        Ranges.requireBetween("eps_high", epsHigh, 0, 10);
        Ranges.requireBetween("beta", beta, 0, 100);
        Ranges.requireBetween("gamma", gamma, 0, 1);
    }

    ClippedSurrogateOptimizer(double epsLow, double epsHigh, double beta, Aggregation aggregation) {
        this.surrogate = new ClippedSurrogate(epsLow, epsHigh, beta, aggregation);
    }

    @Override
    public final boolean usesReference() {
        return surrogate.usesReference();
    }

    @Override
    public final PolicyLoss loss(LossInputs inputs) {
        return surrogate.loss(inputs);
    }
}

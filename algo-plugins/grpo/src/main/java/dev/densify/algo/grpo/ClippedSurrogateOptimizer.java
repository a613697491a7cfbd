package dev.densify.algo.grpo;

import dev.densify.api.algo.Aggregation;
import dev.densify.api.algo.ClippedSurrogate;
import dev.densify.api.algo.LossInputs;
import dev.densify.api.algo.PolicyLoss;
import dev.densify.api.algo.PolicyOptimizer;

/**
 * The loss GRPO, RLOO and GiGPO share, the clipped surrogate with the k3 KL to the reference when beta is above 0;
 * each of them adds only its advantages.
 */
abstract class ClippedSurrogateOptimizer implements PolicyOptimizer {
    private final ClippedSurrogate surrogate;

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

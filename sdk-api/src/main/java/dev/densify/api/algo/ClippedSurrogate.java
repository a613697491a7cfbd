package dev.densify.api.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.API;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The PPO clipped surrogate as a ready-made {@link PolicyOptimizer#loss} for optimisers that differ only in
 * their advantages (PPO, GRPO, RLOO, GiGPO): per token -min(rho A, clip(rho, 1 - eps_low, 1 + eps_high) A)
 * with rho = exp(logp - old_logp), plus beta times the k3 estimate of KL(pi || pi_ref)
 * = exp(ref - logp) - (ref - logp) - 1 clamped to [-10, 10], aggregated over the masked tokens as
 * {@link Aggregation} says. Masked tokens get ratio 1 and KL 0, so padding can never produce NaN.
 *
 * <p>Intermediate arrays belong to the manager of {@code logProbs}; the learner closes it per mini-batch.
 * Diagnostics are detached scalars: {@code policy_loss} (the surrogate alone), {@code clip_fraction} (share of
 * tokens where the clipped term is the binding one), {@code ratio_mean} and, when reference log-probs are
 * given, {@code kl} (measured even when beta is 0).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ClippedSurrogate {

    /**
     * Bound on log-ratios before exponentiating: exp(89) already overflows float32, and an infinite ratio
     * turns both the loss and its gradient into NaN. Ratios beyond e^20 are clipped by the surrogate anyway.
     */
    private static final double MAX_LOG_RATIO = 20;
    private static final double KL_CLAMP = 10;

    private final double epsLow;
    private final double epsHigh;
    private final double beta;
    private final Aggregation aggregation;

    /**
     * @param epsLow lower clip range, ratio floor 1 - epsLow; in [0, 1)
     * @param epsHigh upper clip range, ratio ceiling 1 + epsHigh; finite and non-negative
     * @param beta weight of the k3 KL penalty; finite and non-negative, 0 switches the reference off
     * @param aggregation how per-token losses become one scalar
     * @throws IllegalArgumentException when a range is outside the allowed one
     */
    public ClippedSurrogate(double epsLow, double epsHigh, double beta, Aggregation aggregation) {
        if (!(epsLow >= 0 && epsLow < 1)) {
            throw new IllegalArgumentException("epsLow must be in [0, 1), got " + epsLow);
        }
        if (!(epsHigh >= 0 && Double.isFinite(epsHigh))) {
            throw new IllegalArgumentException("epsHigh must be finite and >= 0, got " + epsHigh);
        }
        if (!(beta >= 0 && Double.isFinite(beta))) {
            throw new IllegalArgumentException("beta must be finite and >= 0, got " + beta);
        }
        this.epsLow = epsLow;
        this.epsHigh = epsHigh;
        this.beta = beta;
        this.aggregation = Objects.requireNonNull(aggregation, "aggregation");
    }

    /** Whether {@link #loss} needs reference log-probs: exactly when beta is positive. */
    public boolean usesReference() {
        return beta > 0;
    }

    /**
     * The loss of one mini-batch and its diagnostics.
     *
     * @throws IllegalArgumentException when the arrays are not all [batch, tokens] of one shape, or when beta is
     *     positive and no reference log-probs are given
     */
    public PolicyLoss loss(LossInputs inputs) {
        Objects.requireNonNull(inputs, "inputs");
        NDArray logProbs = inputs.logProbs();
        Shape shape = logProbs.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("logProbs must have shape [batch, tokens], got " + shape);
        }
        requireShape("oldLogProbs", inputs.oldLogProbs(), shape);
        requireShape("advantages", inputs.advantages(), shape);
        requireShape("mask", inputs.mask(), shape);
        inputs.referenceLogProbs().ifPresent(ref -> requireShape("referenceLogProbs", ref, shape));
        if (usesReference() && inputs.referenceLogProbs().isEmpty()) {
            throw new IllegalArgumentException("beta = " + beta + " > 0 needs referenceLogProbs, but none were given");
        }

        DataType type = logProbs.getDataType();
        NDArray mask = inputs.mask().toType(type, false);
        NDArray advantages = inputs.advantages().toType(type, false);
        // Masked positions get log-ratio 0 (ratio 1) so that padding can never produce inf * 0 = NaN.
        NDArray ratio = Tensors.clamp(logProbs.sub(inputs.oldLogProbs().toType(type, false)).mul(mask),
                -MAX_LOG_RATIO, MAX_LOG_RATIO).exp();
        NDArray unclipped = ratio.mul(advantages).neg();
        NDArray clipped = Tensors.clamp(ratio, 1 - epsLow, 1 + epsHigh).mul(advantages).neg();
        NDArray surrogate = unclipped.maximum(clipped);

        Map<String, NDArray> diagnostics = new LinkedHashMap<>();
        NDArray perToken = surrogate;
        if (inputs.referenceLogProbs().isPresent()) {
            NDArray logRefRatio = Tensors.clamp(inputs.referenceLogProbs().get().toType(type, false).sub(logProbs)
                    .mul(mask), -MAX_LOG_RATIO, MAX_LOG_RATIO);
            NDArray kl = Tensors.clamp(logRefRatio.exp().sub(logRefRatio).sub(1), -KL_CLAMP, KL_CLAMP);
            diagnostics.put("kl", maskedMean(kl, mask).stopGradient());
            if (beta > 0) {
                perToken = surrogate.add(kl.mul(Tensors.scalar(kl, beta)));
            }
        }
        diagnostics.put("policy_loss", aggregate(surrogate, mask).stopGradient());
        diagnostics.put("clip_fraction", maskedMean(clipped.gt(unclipped).toType(type, false), mask).stopGradient());
        diagnostics.put("ratio_mean", maskedMean(ratio, mask).stopGradient());
        return new PolicyLoss(aggregate(perToken, mask), diagnostics);
    }

    private NDArray aggregate(NDArray perToken, NDArray mask) {
        if (aggregation == Aggregation.TOKEN_MEAN) {
            return maskedMean(perToken, mask);
        }
        NDArray tokensPerRow = mask.sum(new int[] {1});
        NDArray rowMeans = perToken.mul(mask).sum(new int[] {1}).div(tokensPerRow.maximum(1));
        NDArray counted = tokensPerRow.gt(0).toType(perToken.getDataType(), false);
        return rowMeans.mul(counted).sum().div(counted.sum().maximum(1));
    }

    /** Mean over the masked tokens; 0 when the mask selects nothing. */
    private static NDArray maskedMean(NDArray values, NDArray mask) {
        return values.mul(mask).sum().div(mask.sum().maximum(1));
    }

    private static void requireShape(String name, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(name + " must have the shape of logProbs " + expected + ", got "
                    + array.getShape());
        }
    }
}

package dev.densify.algo.ppo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.API;
import dev.densify.api.algo.LossInputs;
import dev.densify.api.algo.PolicyLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * PPO's two losses on DJL arrays. New arrays belong to the manager of the first argument's arrays; the caller
 * closes that manager.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PpoLosses {

    /**
     * Bound on log-ratios before exponentiating: exp(89) already overflows float32, and an infinite ratio
     * turns both the loss and its gradient into NaN. Ratios beyond e^20 are clipped by the surrogate anyway.
     */
    private static final double MAX_LOG_RATIO = 20;
    private static final double KL_CLAMP = 10;

    private PpoLosses() {}

    /**
     * The PPO-clip policy loss, token-mean over the masked tokens:
     * mean(-min(rho A, clip(rho, 1 - epsLow, 1 + epsHigh) A)) with rho = exp(logp - old_logp), plus
     * {@code beta} times the mean k3 KL to the reference, exp(ref - logp) - (ref - logp) - 1 clamped to
     * [-10, 10]. Masked tokens get ratio 1 and KL 0, so padding can never produce NaN.
     *
     * <p>Diagnostics (detached scalars): {@code policy_loss} (surrogate alone), {@code clip_fraction} (share of
     * tokens whose clipped term binds), {@code ratio_mean}, and {@code kl} when reference log-probs are given.
     *
     * @throws IllegalArgumentException when the arrays are not all [batch, tokens] of one shape, or when
     *     {@code beta > 0} and no reference log-probs are given
     */
    public static PolicyLoss policyLoss(LossInputs inputs, double epsLow, double epsHigh, double beta) {
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
        if (beta > 0 && inputs.referenceLogProbs().isEmpty()) {
            throw new IllegalArgumentException("beta = " + beta + " > 0 needs referenceLogProbs, but none were given");
        }

        DataType type = logProbs.getDataType();
        NDArray mask = inputs.mask().toType(type, false);
        NDArray advantages = inputs.advantages().toType(type, false);
        NDArray ratio = logProbs.sub(inputs.oldLogProbs().toType(type, false)).mul(mask)
                .clip(-MAX_LOG_RATIO, MAX_LOG_RATIO).exp();
        NDArray unclipped = ratio.mul(advantages).neg();
        NDArray clipped = ratio.clip(1 - epsLow, 1 + epsHigh).mul(advantages).neg();
        NDArray surrogate = unclipped.maximum(clipped);

        Map<String, NDArray> diagnostics = new LinkedHashMap<>();
        NDArray perToken = surrogate;
        if (inputs.referenceLogProbs().isPresent()) {
            NDArray logRefRatio = inputs.referenceLogProbs().get().toType(type, false).sub(logProbs).mul(mask)
                    .clip(-MAX_LOG_RATIO, MAX_LOG_RATIO);
            NDArray kl = logRefRatio.exp().sub(logRefRatio).sub(1).clip(-KL_CLAMP, KL_CLAMP);
            diagnostics.put("kl", maskedMean(kl, mask).stopGradient());
            if (beta > 0) {
                perToken = surrogate.add(kl.mul((float) beta));
            }
        }
        diagnostics.put("policy_loss", maskedMean(surrogate, mask).stopGradient());
        diagnostics.put("clip_fraction", maskedMean(clipped.gt(unclipped).toType(type, false), mask).stopGradient());
        diagnostics.put("ratio_mean", maskedMean(ratio, mask).stopGradient());
        return new PolicyLoss(maskedMean(perToken, mask), diagnostics);
    }

    /**
     * PPO's clipped value loss, averaged over all elements:
     * mean(0.5 * max((V - R)^2, (clip(V, V_old - clipRange, V_old + clipRange) - R)^2)). The clipped branch
     * stops a value head from moving further than {@code clipRange} from the values it predicted when the
     * data was collected, unless that move also reduces the error.
     *
     * @param values V from the value head being trained (carries gradients)
     * @param oldValues V_old, the values recorded with the data
     * @param returns R, the value targets (e.g. {@link dev.densify.api.algo.StepAdvantages#returns()})
     * @param clipRange eps_v, non-negative
     */
    public static NDArray clippedValueLoss(NDArray values, NDArray oldValues, NDArray returns, double clipRange) {
        Objects.requireNonNull(values, "values");
        Objects.requireNonNull(oldValues, "oldValues");
        Objects.requireNonNull(returns, "returns");
        if (!(clipRange >= 0)) {
            throw new IllegalArgumentException("clipRange must be >= 0, got " + clipRange);
        }
        requireShape("oldValues", oldValues, values.getShape());
        requireShape("returns", returns, values.getShape());
        DataType type = values.getDataType();
        NDArray old = oldValues.toType(type, false);
        NDArray target = returns.toType(type, false);
        NDArray clippedValues = values.sub(old).clip(-clipRange, clipRange).add(old);
        NDArray unclippedError = values.sub(target).square();
        NDArray clippedError = clippedValues.sub(target).square();
        return unclippedError.maximum(clippedError).mul(0.5f).mean();
    }

    private static NDArray maskedMean(NDArray values, NDArray mask) {
        return values.mul(mask).sum().div(mask.sum().maximum(1));
    }

    private static void requireShape(String name, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(name + " must have shape " + expected + ", got " + array.getShape());
        }
    }
}

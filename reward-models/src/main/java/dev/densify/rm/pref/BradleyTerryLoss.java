package dev.densify.rm.pref;

import ai.djl.ndarray.NDArray;
import dev.densify.api.API;
import dev.densify.api.algo.Tensors;

/**
 * The preference loss of formulas.md: for score differences d = r(pos) - r(neg),
 * {@code mean(BCEWithLogits(d, 1)) + alpha * mean(ReLU(margin - d))}, where BCEWithLogits(d, 1) = log(1 + e^-d),
 * computed as (|d| - d) / 2 + log(1 + e^-|d|) so that it never overflows (and, unlike ReLU(-d), has the true
 * gradient -1/2 at d = 0, where PyTorch takes ReLU's and |d|'s derivatives as 0). The margin term is for training only; the
 * held-out loss is the first term alone.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class BradleyTerryLoss {
    private BradleyTerryLoss() {}

    /** The training loss of score differences {@code d} [n], a scalar array. */
    public static NDArray loss(NDArray d, double alpha, double margin) {
        NDArray bce = logistic(d).mean();
        if (alpha == 0) {
            return bce;
        }
        NDArray shortfall = d.neg().add((float) margin);
        NDArray hinge = shortfall.maximum(Tensors.scalar(shortfall, 0)).mean();
        return bce.add(hinge.mul(Tensors.scalar(hinge, alpha)));
    }

    /** The per-pair negative log-likelihood log(1 + e^-d) [n]. */
    public static NDArray logistic(NDArray d) {
        NDArray magnitude = d.abs();
        NDArray half = magnitude.sub(d);
        return half.div(Tensors.scalar(half, 2)).add(magnitude.neg().exp().add(1f).log());
    }

    /** log(1 + e^-d) of one difference, as {@link #logistic(NDArray)} computes it. */
    public static double logistic(double d) {
        return Math.max(-d, 0) + Math.log1p(Math.exp(-Math.abs(d)));
    }
}

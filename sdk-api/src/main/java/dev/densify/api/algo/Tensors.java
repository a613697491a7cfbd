package dev.densify.api.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;

/**
 * Arithmetic with plain numbers that is safe under autograd. DJL turns a number argument ({@code x.mul(0.5f)},
 * {@code x.clip(lo, hi)}, {@code x.maximum(0f)}) into a tensor over a Java buffer and closes it as soon as the call
 * returns, but PyTorch's autograd keeps that tensor for the backward pass (the gradient of {@code x * s} is
 * {@code grad * s}): the backward pass then reads memory the garbage collector may already have handed to
 * something else, and gradients come out wrong, zero or NaN, at random, differently in every process. Inside a
 * differentiable computation, numbers enter through {@link #scalar} (memory PyTorch owns, alive as long as
 * {@code like}'s manager) and clamps through {@link #clamp}.
 */
@dev.densify.api.API(status = dev.densify.api.API.Status.EXPERIMENTAL, since = "0.2")
public final class Tensors {
    private Tensors() {}

    /** {@code value} as a 0-dimensional array of {@code like}'s type on {@code like}'s manager, owned by PyTorch. */
    public static NDArray scalar(NDArray like, double value) {
        try (NDArray fromJava = like.getManager().create(value)) {
            return fromJava.toType(like.getDataType(), true);
        }
    }

    /**
     * {@code x} clamped to [min, max], with the gradient of a clamp (passed where min <= x <= max, 0 elsewhere); the
     * bounds never reach autograd: the clamp itself runs on a detached copy.
     */
    public static NDArray clamp(NDArray x, double min, double max) {
        NDArray detached = x.stopGradient();
        NDArray inside = detached.gte(min).logicalAnd(detached.lte(max));
        return NDArrays.where(inside, x, detached.clip(min, max));
    }
}

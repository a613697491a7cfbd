package dev.densify.reward.critic.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.LayerNorm;
import java.util.Map;

/** The few layer functions both heads are made of, over parameters named as {@link Parameters} names them. */
final class Layers {

    private static final float LAYER_NORM_EPSILON = 1e-5f;

    private Layers() {}

    static NDArray linear(NDArray x, Map<String, NDArray> p, String name) {
        return x.matMul(p.get(name + ".weight")).add(p.get(name + ".bias"));
    }

    static NDArray matrix(NDArray x, Map<String, NDArray> p, String name) {
        return x.matMul(p.get(name + ".weight"));
    }

    /**
     * LayerNorm over the last axis, as the engine's one fused operation: written out of means, squares and a
     * division it took nine engine calls forward and as many nodes backward, most of a small critic's step.
     */
    static NDArray layerNorm(NDArray x, Map<String, NDArray> p, String name) {
        Shape last = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return LayerNorm.layerNorm(x, last, p.get(name + ".gain"), p.get(name + ".bias"), LAYER_NORM_EPSILON)
                .singletonOrThrow();
    }

    static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }
}

package dev.densify.reward.critic.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
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

    /** LayerNorm over the last axis. */
    static NDArray layerNorm(NDArray x, Map<String, NDArray> p, String name) {
        NDArray centred = x.sub(x.mean(new int[] {-1}, true));
        NDArray variance = centred.square().mean(new int[] {-1}, true);
        return centred.div(variance.add(LAYER_NORM_EPSILON).sqrt())
                .mul(p.get(name + ".gain")).add(p.get(name + ".bias"));
    }

    static NDArray gelu(NDArray x) {
        return Activation.gelu(x);
    }
}

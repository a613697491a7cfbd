package dev.densify.rm.logs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.densify.core.model.LlamaModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The predictor: Linear -> GELU -> Linear -> GELU -> Linear to one output (the normalised reward, or the logit of
 * reward 1). Weights are kept on the heap as row-major floats in a fixed order (w1, b1, w2, b2, w3, b3), so a model
 * saves, loads and predicts without native state.
 */
final class RewardNet {
    private RewardNet() {}

    /** Weights W ~ N(0, 1 / fan-in) from {@code random}, biases 0. */
    static float[][] initialise(int input, int hidden, Random random) {
        return new float[][] {
            gaussian(input * hidden, input, random), new float[hidden],
            gaussian(hidden * hidden, hidden, random), new float[hidden],
            gaussian(hidden, hidden, random), new float[1]};
    }

    static Shape[] shapes(int input, int hidden) {
        return new Shape[] {new Shape(input, hidden), new Shape(hidden), new Shape(hidden, hidden), new Shape(hidden),
            new Shape(hidden, 1), new Shape(1)};
    }

    /** The weights as PyTorch-owned arrays in {@code manager}, with gradients when {@code trainable}. */
    static List<NDArray> arrays(NDManager manager, float[][] weights, int input, int hidden, boolean trainable) {
        Shape[] shapes = shapes(input, hidden);
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            NDArray a = LlamaModel.owned(manager.create(weights[i], shapes[i]));
            if (trainable) {
                a.setRequiresGradient(true);
            }
            out.add(a);
        }
        return out;
    }

    /** [batch, input] to [batch]. */
    static NDArray forward(List<NDArray> p, NDArray x) {
        NDArray h = Activation.gelu(x.matMul(p.get(0)).add(p.get(1)));
        h = Activation.gelu(h.matMul(p.get(2)).add(p.get(3)));
        return h.matMul(p.get(4)).add(p.get(5)).reshape(-1);
    }

    static float[][] copy(List<NDArray> p) {
        float[][] out = new float[p.size()][];
        for (int i = 0; i < p.size(); i++) {
            out[i] = p.get(i).toFloatArray();
        }
        return out;
    }

    private static float[] gaussian(int size, int fanIn, Random random) {
        float[] w = new float[size];
        double std = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < size; i++) {
            w[i] = (float) (random.nextGaussian() * std);
        }
        return w;
    }
}

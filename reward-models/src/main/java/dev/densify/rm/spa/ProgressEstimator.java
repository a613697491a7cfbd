package dev.densify.rm.spa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import dev.densify.core.model.LlamaModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The progress estimator's network: Linear -> GELU -> Linear to one contribution per step. Weights live on the heap in
 * a fixed order (w1 [input, hidden], b1, w2 [hidden, 1], b2), so the estimator saves and restores without native
 * state; each computation makes PyTorch-owned arrays of them in the caller's manager.
 */
final class ProgressEstimator {
    final int input;
    final int hidden;
    final float[][] weights;

    ProgressEstimator(int input, int hidden, float[][] weights) {
        this.input = input;
        this.hidden = hidden;
        this.weights = weights;
        Shape[] shapes = shapes();
        if (weights.length != shapes.length) {
            throw new IllegalArgumentException("expected " + shapes.length + " weight arrays, got " + weights.length);
        }
        for (int i = 0; i < shapes.length; i++) {
            if (weights[i].length != shapes[i].size()) {
                throw new IllegalArgumentException("weight array " + i + " holds " + weights[i].length
                        + " values, its shape " + shapes[i] + " needs " + shapes[i].size());
            }
        }
    }

    /**
     * Hidden weights N(0, 1 / fan-in) from {@code random}; the output layer 0, so that an estimator that has learned
     * nothing contributes nothing.
     */
    static ProgressEstimator initialise(int input, int hidden, Random random) {
        float[] w1 = new float[input * hidden];
        double std = 1 / Math.sqrt(input);
        for (int i = 0; i < w1.length; i++) {
            w1[i] = (float) (random.nextGaussian() * std);
        }
        return new ProgressEstimator(input, hidden, new float[][] {w1, new float[hidden], new float[hidden],
            new float[1]});
    }

    Shape[] shapes() {
        return new Shape[] {new Shape(input, hidden), new Shape(hidden), new Shape(hidden, 1), new Shape(1)};
    }

    /** The weights as arrays of {@code manager}, with gradients when {@code trainable}. */
    List<NDArray> arrays(NDManager manager, boolean trainable) {
        Shape[] shapes = shapes();
        List<NDArray> out = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            NDArray a = LlamaModel.owned(manager.create(weights[i], shapes[i]));
            a.setRequiresGradient(trainable);
            out.add(a);
        }
        return out;
    }

    /** [steps, input] features to [steps] contributions; {@code x} must belong to the computation's manager. */
    static NDArray forward(List<NDArray> p, NDArray x) {
        NDArray h = Activation.gelu(x.matMul(p.get(0)).add(p.get(1)));
        return h.matMul(p.get(2)).add(p.get(3)).reshape(-1);
    }

    /** Contributions of the steps with these features, without gradients. */
    float[] predict(float[][] features) {
        if (features.length == 0) {
            return new float[0];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            return forward(arrays(manager, false), matrix(manager, features)).toFloatArray();
        }
    }

    /** Rows as a PyTorch-owned [rows, width] array of {@code manager}. */
    static NDArray matrix(NDManager manager, float[][] rows) {
        int width = rows[0].length;
        float[] flat = new float[rows.length * width];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * width, width);
        }
        return LlamaModel.owned(manager.create(flat, new Shape(rows.length, width)));
    }
}

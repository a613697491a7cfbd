package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Inverted dropout on the input of the LoRA adapters in one training forward: each element is kept with
 * probability 1 - p and then scaled by 1 / (1 - p), so the branch's expected output is the undropped one. The masks
 * come from a stream of the forward's own seed (never the engine's generator), one mask per adapter in the order
 * the forward applies them: layer by layer, and in each layer q, k, v, o, gate, up, down (the targeted ones), each
 * row-major over the adapter's input [batch, positions, in].
 */
final class AdapterDropout {
    private final double rate;
    private final float kept;
    private final SplittableRandom random;

    AdapterDropout(double rate, long seed) {
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("adapter dropout must lie in (0, 1), got " + rate);
        }
        this.rate = rate;
        this.kept = (float) (1 / (1 - rate));
        this.random = new SplittableRandom(seed);
    }

    /** The next mask of {@code size} elements: 0 where dropped, 1 / (1 - p) where kept. */
    float[] nextMask(int size) {
        float[] mask = new float[size];
        for (int i = 0; i < size; i++) {
            mask[i] = random.nextDouble() < rate ? 0 : kept;
        }
        return mask;
    }

    /** {@code input} times the next mask of its shape. */
    NDArray apply(NDArray input) {
        Shape shape = input.getShape();
        NDArray mask = LlamaModel.owned(input.getManager().create(nextMask(Math.toIntExact(shape.size())), shape));
        return input.mul(mask);
    }
}

package dev.densify.rm.pref;

import ai.djl.ndarray.NDArray;
import java.util.Random;

/**
 * Inverted dropout whose masks come from a seeded {@link Random}, not the engine's generator, so that training is
 * reproducible without touching the engine's global seed.
 */
final class Dropout {
    static final Dropout OFF = new Dropout(0, null);

    private final double rate;
    private final Random random;

    Dropout(double rate, Random random) {
        this.rate = rate;
        this.random = random;
    }

    NDArray apply(NDArray x) {
        if (rate == 0) {
            return x;
        }
        float keep = (float) (1 / (1 - rate));
        float[] mask = new float[Math.toIntExact(x.size())];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = random.nextDouble() < rate ? 0 : keep;
        }
        return x.mul(dev.densify.core.model.LlamaModel.owned(x.getManager().create(mask, x.getShape())));
    }
}

package dev.densify.reward.critic.neural;

import ai.djl.ndarray.NDArray;
import java.util.SplittableRandom;

/**
 * Inverted dropout whose masks come from a seeded {@link SplittableRandom}, not the engine's generator, so that a fit
 * is reproducible without touching the engine's global seed (which the policy's sampling also uses). Not
 * {@code java.util.Random}: its synchronised draws were a quarter of a fit's time.
 */
final class Dropout {

    /** Evaluation mode: the identity. */
    static final Dropout OFF = new Dropout(0, null);

    private final double rate;
    private final SplittableRandom random;

    Dropout(double rate, SplittableRandom random) {
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
        return x.mul(x.getManager().create(mask, x.getShape()));
    }
}

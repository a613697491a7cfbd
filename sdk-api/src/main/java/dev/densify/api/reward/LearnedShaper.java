package dev.densify.api.reward;

import dev.densify.api.API;
import dev.densify.api.plugin.Stateful;
import java.util.List;

/**
 * A shaper whose reward model is learned online from outcome labels (an implicit process reward model, a progress
 * estimator). Each iteration densify first {@linkplain #fit fits} it on the iteration's finished episodes, then lets
 * it shape them, and saves its state with every checkpoint, so that a resumed run shapes exactly as an uninterrupted
 * one. Between two fits {@link #shape} stays a pure function of its input, as every shaper's must.
 *
 * <p>A learned shaper may own native memory (a language model, optimizer moments): densify closes it with the run.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface LearnedShaper extends RewardShaper, Stateful, AutoCloseable {

    /**
     * Learns from one batch of finished episodes: their steps, outcomes and the environment's step rewards (not the
     * output of shapers before this one). Randomness comes from {@code seed} and the state only, so the same state,
     * episodes and seed give the same result. Episodes without steps teach nothing and are skipped.
     */
    Fit fit(List<ShapingInput> episodes, long seed);

    /**
     * What one {@link #fit} did.
     *
     * @param episodes episodes it learned from
     * @param updates optimizer updates taken
     * @param loss the objective averaged over the fit's first pass, each mini-batch measured just before its own
     *     update (progressive validation: every episode is scored before the model has learned from it); NaN when
     *     there was nothing to learn from
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    record Fit(int episodes, int updates, double loss) {
        public Fit {
            if (episodes < 0 || updates < 0) {
                throw new IllegalArgumentException("episodes and updates must be >= 0, got " + episodes + " and "
                        + updates);
            }
        }

        /** A fit that had nothing to learn from. */
        public static Fit none() {
            return new Fit(0, 0, Double.NaN);
        }
    }

    @Override
    default void close() {}
}

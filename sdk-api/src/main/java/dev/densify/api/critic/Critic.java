package dev.densify.api.critic;

import dev.densify.api.API;
import dev.densify.api.plugin.Stateful;
import java.util.List;

/**
 * A step-level value model V(s). It is fitted on (state, Monte Carlo return) pairs of finished trajectories,
 * separately from the policy update, and reports how well it fits states it was not trained on.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Critic extends Stateful, AutoCloseable {

    /** Whether {@link CriticState#features()} must be filled (a learned head) or the state key is enough. */
    default boolean needsFeatures() {
        return true;
    }

    /** V(s) for each state, in order. */
    double[] predict(List<CriticState> states);

    /**
     * Fits the critic to the training samples, using the held-out samples for early stopping and diagnostics.
     * The held-out list may be empty; then held-out figures are NaN.
     */
    FitReport fit(List<CriticSample> train, List<CriticSample> heldOut);

    @Override
    default void close() {}
}

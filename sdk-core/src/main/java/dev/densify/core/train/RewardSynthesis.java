package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Dense rewards from sparse ones: the shapers run in order on the process rewards, the outcome is added to the
 * last step, and the normaliser sees the whole batch grouped by task. A shaper that throws or returns a wrong
 * length or a non-finite reward is a plugin bug: it fails the iteration with a message naming the shaper.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class RewardSynthesis {
    private final List<Named<RewardShaper>> shapers;
    private final Named<Normalizer> normalizer;

    /** A plugin instance with the name it was selected by, for error messages. */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public record Named<T>(String name, T plugin) {}

    public RewardSynthesis(List<Named<RewardShaper>> shapers, Named<Normalizer> normalizer) {
        this.shapers = List.copyOf(shapers);
        this.normalizer = Objects.requireNonNull(normalizer, "normalizer");
    }

    /**
     * Fits the chain's learned shapers on the iteration's episodes, before they shape them: each sees the environment's
     * step rewards, the outcomes, the values V(s_0..s_T) and the steps. A shaper that throws or reports a non-finite
     * loss fails the iteration with a message naming it.
     */
    public List<LearnedShaper.Fit> fit(List<Trajectory> trajectories, List<double[]> values, long seed) {
        List<ShapingInput> inputs = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            inputs.add(new ShapingInput(t.stepRewards(), t.outcome(), values.get(i), t.terminated(), t.steps()));
        }
        List<LearnedShaper.Fit> fits = new ArrayList<>();
        for (Named<RewardShaper> shaper : shapers) {
            if (shaper.plugin() instanceof LearnedShaper learned) {
                LearnedShaper.Fit fit;
                try {
                    fit = learned.fit(inputs, seed);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("shaper '" + shaper.name() + "' failed to fit: " + e, e);
                }
                if (fit == null || (fit.episodes() > 0 && !Double.isFinite(fit.loss()))) {
                    throw new IllegalStateException("shaper '" + shaper.name() + "' reported the fit " + fit);
                }
                fits.add(fit);
            }
        }
        return fits;
    }

    /** The chain's learned shapers, in order: their states go into checkpoints. */
    public List<LearnedShaper> learned() {
        return shapers.stream().map(Named::plugin).filter(LearnedShaper.class::isInstance)
                .map(LearnedShaper.class::cast).toList();
    }

    /** Rewards for the optimiser, one {@link EpisodeRewards} per trajectory; values are V(s_0..s_T). */
    public List<EpisodeRewards> apply(List<Trajectory> trajectories, List<double[]> values) {
        return normalize(trajectories, values, shape(trajectories, values));
    }

    /** The shapers' rewards of each trajectory in order, the outcome added to its last step, grouped by task. */
    public List<GroupedRewards> shape(List<Trajectory> trajectories, List<double[]> values) {
        List<GroupedRewards> shaped = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            double[] rewards = t.stepRewards();
            for (Named<RewardShaper> shaper : shapers) {
                ShapingInput input = new ShapingInput(rewards, t.outcome(), values.get(i), t.terminated(), t.steps());
                double[] out;
                try {
                    out = shaper.plugin().shape(input);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("shaper '" + shaper.name() + "' failed on trajectory " + t.id()
                            + ": " + e, e);
                }
                rewards = checked(out, t.length(), "shaper '" + shaper.name() + "'", t);
            }
            shaped.add(new GroupedRewards(t.groupId(), Returns.withOutcome(rewards, t.outcome().reward())));
        }
        return shaped;
    }

    /** The normaliser over the whole shaped batch: one {@link EpisodeRewards} per trajectory. */
    public List<EpisodeRewards> normalize(List<Trajectory> trajectories, List<double[]> values,
                                          List<GroupedRewards> shaped) {
        List<double[]> normalised;
        try {
            normalised = normalizer.plugin().normalize(shaped);
        } catch (RuntimeException e) {
            throw new IllegalStateException("normalizer '" + normalizer.name() + "' failed: " + e, e);
        }
        if (normalised.size() != shaped.size()) {
            throw new IllegalStateException("normalizer '" + normalizer.name() + "' returned " + normalised.size()
                    + " episodes for " + shaped.size());
        }
        List<EpisodeRewards> out = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            Trajectory t = trajectories.get(i);
            double[] rewards = checked(normalised.get(i), t.length(), "normalizer '" + normalizer.name() + "'", t);
            out.add(new EpisodeRewards(t.groupId(), rewards, values.get(i), t.terminated(),
                    t.steps().stream().map(Step::anchorKey).toList()));
        }
        return out;
    }

    private static double[] checked(double[] rewards, int length, String who, Trajectory t) {
        if (rewards == null || rewards.length != length) {
            throw new IllegalStateException(who + " returned " + (rewards == null ? "null" : rewards.length
                    + " rewards") + " for trajectory " + t.id() + " of " + length + " steps");
        }
        for (double r : rewards) {
            if (!Double.isFinite(r)) {
                throw new IllegalStateException(who + " returned a non-finite reward " + r + " for trajectory " + t.id());
            }
        }
        return rewards;
    }
}

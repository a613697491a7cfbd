package dev.densify.reward.shapers;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.env.Outcome;
import dev.densify.api.reward.ShapingInput;
import java.util.Arrays;
import java.util.List;
import org.quicktheories.core.Gen;

/** Generators of episodes and the return arithmetic the properties are stated in. */
final class Episodes {
    static final double TOLERANCE = 1e-9;

    private Episodes() {}

    static Gen<double[]> arrays(int length, double bound) {
        return lists().of(doubles().between(-bound, bound)).ofSize(length)
                .map(Episodes::toArray)
                .describedAs(Arrays::toString);
    }

    /** Episodes of 0..maxLength steps with rewards, values and outcome in [-10, 10]. */
    static Gen<ShapingInput> episodes(int minLength, int maxLength) {
        return integers().between(minLength, maxLength).flatMap(length -> arrays(length, 10).zip(
                arrays(length + 1, 10), doubles().between(-10, 10), booleans().all(),
                (rewards, values, outcome, terminated) ->
                        new ShapingInput(rewards, new Outcome(outcome, outcome > 0), values, terminated)))
                .describedAs(Episodes::describe);
    }

    static Gen<ShapingInput> terminatedEpisodes(int minLength, int maxLength) {
        return episodes(minLength, maxLength).map(e -> withTermination(e, true)).describedAs(Episodes::describe);
    }

    static ShapingInput withTermination(ShapingInput e, boolean terminated) {
        return new ShapingInput(e.stepRewards(), e.outcome(), e.values(), terminated);
    }

    static ShapingInput withFirstValue(ShapingInput e, double v0) {
        double[] values = e.values().clone();
        values[0] = v0;
        return new ShapingInput(e.stepRewards(), e.outcome(), values, e.terminated());
    }

    static String describe(ShapingInput e) {
        return "rewards=" + Arrays.toString(e.stepRewards()) + " outcome=" + e.outcome().reward() + " values="
                + Arrays.toString(e.values()) + " terminated=" + e.terminated();
    }

    static double[] toArray(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The rewards densify hands on: the shaped process rewards with the outcome added to the last step. */
    static double[] withOutcome(double[] processRewards, double outcome) {
        double[] rewards = processRewards.clone();
        if (rewards.length > 0) {
            rewards[rewards.length - 1] += outcome;
        }
        return rewards;
    }

    /** G_0 = sum_t gamma^t r_t. */
    static double discountedReturn(double[] rewards, double gamma) {
        double g = 0;
        for (int t = rewards.length - 1; t >= 0; t--) {
            g = rewards[t] + gamma * g;
        }
        return g;
    }

    static double sum(double[] xs) {
        return Arrays.stream(xs).sum();
    }

    static double scaleOf(double... xs) {
        return 1 + Arrays.stream(xs).map(Math::abs).max().orElse(0);
    }
}

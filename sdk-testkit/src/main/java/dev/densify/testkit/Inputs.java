package dev.densify.testkit;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.quicktheories.core.Gen;

/**
 * Random inputs for the plugin kits. Rewards and values stay in a range real runs produce, so that a finite
 * output is a fair demand; algorithm batches use multiples of 0.5, which sum exactly, so that the group
 * invariance check compares numbers that only rounding in the plugin itself can tell apart.
 */
final class Inputs {
    private static final Gen<Double> REWARD = doubles().between(-10, 10);
    private static final Gen<Double> HALVES = integers().between(-10, 10).map(i -> i * 0.5);
    private static final Gen<Boolean> BOOL = booleans().all();
    private static final Gen<Integer> GROUP = integers().between(0, 2);

    private Inputs() {}

    /** One finished episode of 0 to {@code maxLength} steps as a shaper sees it. */
    static Gen<ShapingInput> episodes(int maxLength) {
        return episodes(maxLength, false);
    }

    /**
     * One finished episode of 0 to {@code maxLength} steps as a shaper sees it; with {@code withSteps}, its steps
     * too, each reporting random {@link Signals} (progress in [0, 1], invalid actions and states).
     */
    static Gen<ShapingInput> episodes(int maxLength, boolean withSteps) {
        Gen<Integer> length = integers().between(0, maxLength);
        Gen<Double> progress = doubles().between(0, 1);
        Gen<ShapingInput> episodes = in -> {
            int steps = length.generate(in);
            double outcome = REWARD.generate(in);
            double[] rewards = array(in, REWARD, steps);
            double[] values = array(in, REWARD, steps + 1);
            boolean terminated = BOOL.generate(in);
            List<Step> trace = new ArrayList<>();
            for (int t = 0; withSteps && t < steps; t++) {
                trace.add(new Step("observation " + t, "s" + t, "s" + t, new int[] {t}, "action " + t, new int[] {t},
                        new float[] {-1f}, rewards[t], t == steps - 1,
                        Signals.of(progress.generate(in), BOOL.generate(in), BOOL.generate(in))));
            }
            return new ShapingInput(rewards, new Outcome(outcome, outcome > 0), values, terminated, trace);
        };
        return episodes.describedAs(Inputs::describeEpisode);
    }

    /** An episode as a falsifying example shows it: its arrays and its steps' signals spelled out. */
    static String describeEpisode(ShapingInput e) {
        return "ShapingInput[stepRewards=" + Arrays.toString(e.stepRewards()) + ", outcome=" + e.outcome()
                + ", values=" + Arrays.toString(e.values()) + ", terminated=" + e.terminated()
                + (e.steps().isEmpty() ? "" : ", signals="
                + e.steps().stream().map(s -> s.info().toString()).collect(Collectors.joining(", ", "[", "]")))
                + "]";
    }

    /** A batch of up to {@code maxEpisodes} episodes of three groups, as a normaliser sees it. */
    static Gen<List<GroupedRewards>> rewardBatches(int maxEpisodes, int maxLength) {
        Gen<Integer> count = integers().between(0, maxEpisodes);
        Gen<Integer> length = integers().between(0, maxLength);
        Gen<List<GroupedRewards>> batches = in -> {
            List<GroupedRewards> batch = new ArrayList<>();
            for (int i = count.generate(in); i > 0; i--) {
                batch.add(new GroupedRewards("g" + GROUP.generate(in), array(in, REWARD, length.generate(in))));
            }
            return batch;
        };
        return batches.describedAs(Inputs::describeRewards);
    }

    /** One to three batches in a row, for normalisers that learn from what they see. */
    static Gen<List<List<GroupedRewards>>> rewardHistories(int maxEpisodes, int maxLength) {
        return lists().of(rewardBatches(maxEpisodes, maxLength)).ofSizeBetween(1, 3)
                .describedAs(h -> h.stream().map(Inputs::describeRewards).collect(Collectors.joining(", ", "[", "]")));
    }

    static String describeRewards(List<GroupedRewards> batch) {
        return batch.stream().map(e -> e.groupId() + "=" + Arrays.toString(e.rewards()))
                .collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * A batch for an algorithm: one to three groups of one to four episodes each, {@code minLength} to 6 steps,
     * state keys from a set of four so that episodes share anchor states.
     */
    static Gen<List<EpisodeRewards>> algorithmBatches(int minLength) {
        Gen<Integer> groups = integers().between(1, 3);
        Gen<Integer> members = integers().between(1, 4);
        Gen<Integer> length = integers().between(minLength, 6);
        Gen<Integer> key = integers().between(0, 3);
        Gen<List<EpisodeRewards>> batches = in -> {
            List<EpisodeRewards> batch = new ArrayList<>();
            for (int g = groups.generate(in) - 1; g >= 0; g--) {
                for (int m = members.generate(in); m > 0; m--) {
                    int steps = length.generate(in);
                    List<String> keys = new ArrayList<>();
                    for (int t = 0; t < steps; t++) {
                        keys.add("k" + key.generate(in));
                    }
                    batch.add(new EpisodeRewards("g" + g, array(in, HALVES, steps), array(in, HALVES, steps + 1),
                            BOOL.generate(in), keys));
                }
            }
            return batch;
        };
        return batches.describedAs(Inputs::describeEpisodes);
    }

    static String describeEpisodes(List<EpisodeRewards> batch) {
        return batch.stream().map(e -> "EpisodeRewards[" + e.groupId() + ", rewards=" + Arrays.toString(e.rewards())
                + ", values=" + Arrays.toString(e.values()) + ", terminated=" + e.terminated() + ", keys="
                + e.stateKeys() + "]").collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * {@code count} critic samples over twelve states. A state's features (1 to 3 rows of {@code dimension}) depend
     * on its key only, as hidden states of one observation do; its targets scatter around a value of its own, as
     * Monte Carlo returns of one state do. Without features ({@code dimension} 0) the key is all there is.
     */
    static List<CriticSample> criticSamples(long seed, int count, int dimension) {
        Random random = new Random(seed);
        List<CriticSample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int state = random.nextInt(12);
            double target = (state % 5) / 4.0 - 0.5 + 0.1 * random.nextGaussian();
            samples.add(new CriticSample(criticState(state, dimension), target));
        }
        return samples;
    }

    /** Every state {@link #criticSamples} draws from, and two it never does. */
    static List<CriticState> criticStates(int dimension) {
        List<CriticState> states = new ArrayList<>();
        for (int state = 0; state < 14; state++) {
            states.add(criticState(state, dimension));
        }
        return states;
    }

    private static CriticState criticState(int state, int dimension) {
        if (dimension == 0) {
            return CriticState.ofKey("s" + state);
        }
        Random random = new Random(31L * state + 7);
        float[][] rows = new float[1 + state % 3][dimension];
        for (float[] row : rows) {
            for (int d = 0; d < dimension; d++) {
                row[d] = (float) (random.nextGaussian() + (state % 5) * 0.25);
            }
        }
        return new CriticState("s" + state, rows);
    }

    private static double[] array(org.quicktheories.core.RandomnessSource in, Gen<Double> values, int length) {
        double[] out = new double[length];
        for (int i = 0; i < length; i++) {
            out[i] = values.generate(in);
        }
        return out;
    }
}

package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.env.Outcome;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.train.RewardSynthesis.Named;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The order RewardSynthesis applies its plugins in (shapers in turn on the process rewards, the outcome on the last
 * step, the normaliser on the whole batch grouped by task) and how it contains a plugin that misbehaves. The shapers
 * and normalisers here are small real ones whose result can be worked out by hand.
 */
class RewardSynthesisTest {

    /** A step of state {@code key} with reward {@code reward}; its anchor key is {@code anchor}. */
    private static Step step(String key, String anchor, double reward) {
        return new Step("obs " + key, key, "render " + key, new int[] {1, 2}, "go", new int[] {3}, new float[] {-0.5f},
                reward, false, Map.of(), anchor);
    }

    private static Trajectory trajectory(String id, String group, double outcome, boolean terminated,
                                         double... rewards) {
        List<Step> steps = new ArrayList<>();
        for (int t = 0; t < rewards.length; t++) {
            steps.add(step(id + "-s" + t, "anchor-" + t, rewards[t]));
        }
        return new Trajectory(id, "task-" + group, group, 7L, 0L, steps, "final", id + "-end",
                new Outcome(outcome, outcome > 0), terminated);
    }

    private static double[] values(int steps, double start) {
        double[] v = new double[steps + 1];
        for (int t = 0; t <= steps; t++) {
            v[t] = start + 0.1 * t;
        }
        return v;
    }

    private static final RewardShaper ADD_ONE = e -> Arrays.stream(e.stepRewards()).map(r -> r + 1).toArray();
    private static final RewardShaper DOUBLE = e -> Arrays.stream(e.stepRewards()).map(r -> 2 * r).toArray();

    /** Leaves the rewards as they are. */
    private static final Normalizer IDENTITY = batch -> batch.stream().map(g -> g.rewards().clone()).toList();

    /** Subtracts from every step the mean step reward of the episode's group: it needs the grouping to be right. */
    private static final Normalizer CENTRE_BY_GROUP = batch -> {
        Map<String, double[]> sums = new HashMap<>();
        for (GroupedRewards g : batch) {
            double[] sum = sums.computeIfAbsent(g.groupId(), k -> new double[2]);
            sum[0] += Arrays.stream(g.rewards()).sum();
            sum[1] += g.rewards().length;
        }
        return batch.stream().map(g -> {
            double[] sum = sums.get(g.groupId());
            return Arrays.stream(g.rewards()).map(r -> r - sum[0] / sum[1]).toArray();
        }).toList();
    };

    private static RewardSynthesis synthesis(Normalizer normalizer, RewardShaper... shapers) {
        List<Named<RewardShaper>> named = new ArrayList<>();
        for (int i = 0; i < shapers.length; i++) {
            named.add(new Named<>("shaper-" + i, shapers[i]));
        }
        return new RewardSynthesis(named, new Named<>("norm", normalizer));
    }

    @Test
    @DisplayName("without shapers the rewards are the step rewards with the outcome added to the last step")
    void withoutShapersTheOutcomeLandsOnTheLastStep() {
        Trajectory t = trajectory("a", "g", 1.0, true, 0.0, 0.25, -0.5);
        List<EpisodeRewards> out = synthesis(IDENTITY).apply(List.of(t), List.of(values(3, 0)));
        assertArrayEquals(new double[] {0.0, 0.25, 0.5}, out.get(0).rewards(), 0);
    }

    @Test
    @DisplayName("shapers run in the order given, each on the previous one's output, and before the outcome is added")
    void shapersChainInOrderBeforeTheOutcome() {
        Trajectory t = trajectory("a", "g", 1.0, true, 0.5, 1.0);
        List<double[]> values = List.of(values(2, 0));
        // (r + 1) * 2, then + 1 on the last step; the other order would give 2r + 1.
        assertArrayEquals(new double[] {3.0, 5.0},
                synthesis(IDENTITY, ADD_ONE, DOUBLE).apply(List.of(t), values).get(0).rewards(), 0);
        assertArrayEquals(new double[] {2.0, 4.0},
                synthesis(IDENTITY, DOUBLE, ADD_ONE).apply(List.of(t), values).get(0).rewards(), 0);
    }

    @Test
    @DisplayName("each shaper sees the trajectory's outcome, values, termination and steps")
    void shapersSeeTheWholeEpisode() {
        Trajectory t = trajectory("a", "g", 1.0, false, 0.0, 0.0);
        double[] v = values(2, 0.3);
        List<ShapingInput> seen = new ArrayList<>();
        RewardShaper recording = e -> {
            seen.add(e);
            return e.stepRewards().clone();
        };
        synthesis(IDENTITY, recording).apply(List.of(t), List.of(v));
        ShapingInput input = seen.get(0);
        assertEquals(t.outcome(), input.outcome());
        assertArrayEquals(v, input.values(), 0);
        assertFalse(input.terminated());
        assertEquals(t.steps(), input.steps());
    }

    @Test
    @DisplayName("the normaliser sees the whole batch grouped by the trajectories' groups")
    void theNormaliserSeesTheBatchByGroup() {
        // Group g: rewards [0, 1] and [0, 0] (outcomes 1 and 0), step mean 0.25; group h: [2] alone, mean 2.
        List<Trajectory> batch = List.of(trajectory("a", "g", 1.0, true, 0.0, 0.0),
                trajectory("b", "h", 0.0, true, 2.0), trajectory("c", "g", 0.0, true, 0.0, 0.0));
        List<EpisodeRewards> out = synthesis(CENTRE_BY_GROUP).apply(batch,
                List.of(values(2, 0), values(1, 0), values(2, 0)));
        assertArrayEquals(new double[] {-0.25, 0.75}, out.get(0).rewards(), 1e-15);
        assertArrayEquals(new double[] {0.0}, out.get(1).rewards(), 1e-15);
        assertArrayEquals(new double[] {-0.25, -0.25}, out.get(2).rewards(), 1e-15);
        assertEquals(List.of("g", "h", "g"), out.stream().map(EpisodeRewards::groupId).toList());
    }

    @Test
    @DisplayName("each result carries its trajectory's values, termination and anchor keys, in order")
    void resultsCarryTheTrajectorysValuesAndAnchors() {
        Trajectory cut = trajectory("a", "g", 0.0, false, 0.1, 0.2);
        Trajectory ended = trajectory("b", "g", 1.0, true, 0.3);
        double[] cutValues = values(2, 0.5);
        double[] endedValues = values(1, 0.7);
        List<EpisodeRewards> out = synthesis(IDENTITY).apply(List.of(cut, ended), List.of(cutValues, endedValues));
        assertEquals(2, out.size());
        assertSame(cutValues, out.get(0).values());
        assertFalse(out.get(0).terminated());
        assertEquals(List.of("anchor-0", "anchor-1"), out.get(0).stateKeys());
        assertSame(endedValues, out.get(1).values());
        assertTrue(out.get(1).terminated());
        assertEquals(List.of("anchor-0"), out.get(1).stateKeys());
    }

    @Test
    @DisplayName("the trajectory's own step rewards are left as they were")
    void theTrajectoryIsLeftAlone() {
        Trajectory t = trajectory("a", "g", 1.0, true, 0.5, 1.0);
        synthesis(IDENTITY, DOUBLE).apply(List.of(t), List.of(values(2, 0)));
        assertArrayEquals(new double[] {0.5, 1.0}, t.stepRewards(), 0);
    }

    @Test
    @DisplayName("an empty batch gives no rewards")
    void anEmptyBatchGivesNothing() {
        assertEquals(List.of(), synthesis(CENTRE_BY_GROUP, ADD_ONE).apply(List.of(), List.of()));
    }

    private static String failure(RewardSynthesis synthesis) {
        Trajectory t = trajectory("traj-9", "g", 1.0, true, 0.0, 0.0, 0.0);
        return assertThrows(IllegalStateException.class,
                () -> synthesis.apply(List.of(t), List.of(values(3, 0)))).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), () -> "'" + part + "' is not in: " + message);
        }
    }

    @Test
    @DisplayName("a shaper that throws fails the batch naming the shaper, the trajectory and the cause")
    void aThrowingShaperIsNamed() {
        RewardShaper broken = e -> {
            throw new ArithmeticException("divided by zero");
        };
        assertMentions(failure(synthesis(IDENTITY, ADD_ONE, broken)), "shaper 'shaper-1'", "traj-9",
                "divided by zero");
    }

    @Test
    @DisplayName("a shaper that returns null, the wrong length or a non-finite reward fails naming it")
    void aShaperWithABadResultIsNamed() {
        assertMentions(failure(synthesis(IDENTITY, e -> null)), "shaper 'shaper-0' returned null", "traj-9",
                "of 3 steps");
        assertMentions(failure(synthesis(IDENTITY, e -> new double[2])), "shaper 'shaper-0' returned 2 rewards",
                "of 3 steps");
        assertMentions(failure(synthesis(IDENTITY, ADD_ONE, e -> new double[] {0, Double.NaN, 0})),
                "shaper 'shaper-1' returned a non-finite reward NaN", "traj-9");
        assertMentions(failure(synthesis(IDENTITY, e -> new double[] {0, 0, Double.POSITIVE_INFINITY})),
                "non-finite reward Infinity");
    }

    @Test
    @DisplayName("a normaliser that throws, drops an episode, or returns a bad episode fails naming it")
    void aNormaliserWithABadResultIsNamed() {
        Normalizer throwing = batch -> {
            throw new IllegalArgumentException("no groups");
        };
        assertMentions(failure(synthesis(throwing)), "normalizer 'norm' failed", "no groups");
        assertMentions(failure(synthesis(batch -> List.of())), "normalizer 'norm' returned 0 episodes for 1");
        assertMentions(failure(synthesis(batch -> List.of(new double[1]))), "normalizer 'norm' returned 1 rewards",
                "traj-9", "of 3 steps");
        assertMentions(failure(synthesis(batch -> List.of(new double[] {Double.NaN, 0, 0}))),
                "normalizer 'norm' returned a non-finite reward NaN");
    }
}

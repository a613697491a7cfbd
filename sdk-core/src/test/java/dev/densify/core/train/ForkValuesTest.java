package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Monte Carlo values from forks, against values computed by following the policy directly: on a deterministic
 * environment and a deterministic policy the rollouts measure V exactly, so progress credit is the true one-step
 * advantage Q(s_t, a_t) - V(s_t) of each action the episode took (under another, random policy).
 */
class ForkValuesTest {
    private static final List<String> ACTIONS = List.of("a", "b");

    /** A random deterministic world: N states, two actions, step rewards, a goal state, a step budget. */
    private record World(int[][] next, double[][] reward, int goal, int budget) {
        static World random(long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            int n = 3 + random.nextInt(6);
            int[][] next = new int[n][2];
            double[][] reward = new double[n][2];
            for (int s = 0; s < n; s++) {
                for (int a = 0; a < 2; a++) {
                    next[s][a] = random.nextInt(n);
                    reward[s][a] = (random.nextInt(3) - 1) * 0.1;
                }
            }
            return new World(next, reward, n - 1, 2 + random.nextInt(6));
        }
    }

    private static final class Walk implements Environment {
        private final World world;
        private int state;
        private int left;

        Walk(World world) {
            this.world = world;
        }

        @Override
        public Observation reset(Task task, long seed) {
            state = 0;
            left = world.budget();
            return observation();
        }

        @Override
        public StepResult step(String action) {
            if (done()) {
                throw new IllegalStateException("episode is over");
            }
            int a = ACTIONS.indexOf(action.trim());
            if (a < 0) {
                a = 0;
            }
            double r = world.reward()[state][a];
            state = world.next()[state][a];
            left--;
            return new StepResult(observation(), r, done(), Map.of());
        }

        private boolean done() {
            return state == world.goal() || left == 0;
        }

        private Observation observation() {
            return new Observation("s" + state + " left " + left, state + "/" + left, ACTIONS);
        }

        @Override
        public Outcome score() {
            return new Outcome(state == world.goal() ? 1 : 0, state == world.goal());
        }

        @Override
        public Environment fork() {
            Walk copy = new Walk(world);
            copy.state = state;
            copy.left = left;
            return copy;
        }

        @Override
        public String render() {
            return "s" + state;
        }
    }

    private record Walks(World world) implements EnvironmentProvider {
        @Override
        public String name() {
            return "walk";
        }

        @Override
        public String description() {
            return "a random deterministic walk";
        }

        @Override
        public Environment create(PluginConfig config) {
            return new Walk(world);
        }

        @Override
        public TaskSet tasks(PluginConfig config) {
            return new TaskSet(List.of(TASK), List.of());
        }
    }

    private static final Task TASK = new Task("walk", "reach the goal", Map.of());

    /**
     * A policy that picks an action per observation: from a table fixed by {@code table} (deterministic), or at
     * random per row and seed when {@code table} is negative (the behaviour that collected the episode).
     */
    private record TablePolicy(long table) implements ActionPolicy {
        @Override
        public List<SampledAction> act(List<String> observations, long seed) {
            List<SampledAction> out = new ArrayList<>();
            for (int i = 0; i < observations.size(); i++) {
                long key = table >= 0 ? table * 31 + observations.get(i).hashCode() : seed * 1_000_003L + i;
                String action = ACTIONS.get(new SplittableRandom(key).nextInt(2));
                out.add(new SampledAction(new int[] {1}, new int[] {2}, new float[] {-0.7f}, action));
            }
            return out;
        }

        @Override
        public long version() {
            return 0;
        }
    }

    /** Q(s_t, a_t) - V(s_t) under {@code policy}, by replaying the episode and following the policy directly. */
    private static double[] trueAdvantages(World world, Trajectory episode, ActionPolicy policy, double gamma) {
        double[] advantages = new double[episode.length()];
        for (int t = 0; t < episode.length(); t++) {
            Walk at = new Walk(world);
            at.reset(TASK, 0);
            for (int k = 0; k < t; k++) {
                at.step(episode.steps().get(k).action());
            }
            Walk taken = (Walk) at.fork();
            StepResult first = taken.step(episode.steps().get(t).action());
            // the outcome is a reward of the last step itself, undiscounted within it
            double q = first.reward() + (first.done() ? taken.score().reward() : gamma * follow(taken, policy, gamma));
            advantages[t] = q - follow(at, policy, gamma);
        }
        return advantages;
    }

    /** The discounted return of following the policy from the walk's state, outcome included. */
    private static double follow(Walk walk, ActionPolicy policy, double gamma) {
        double total = 0;
        double discount = 1;
        while (!walk.done()) {
            String action = policy.act(List.of(walk.observation().text()), 0).get(0).action();
            StepResult result = walk.step(action);
            total += discount * result.reward();
            if (result.done()) {
                total += discount * walk.score().reward();
            }
            discount *= gamma;
        }
        return total;
    }

    @Test
    void withExactValuesProgressCreditIsTheTrueOneStepAdvantage() {
        qt().withExamples(60).forAll(longs().all(), integers().between(1, 3), integers().between(0, 1))
                .checkAssert((seed, rollouts, discounted) -> {
                    World world = World.random(seed);
                    double gamma = discounted == 1 ? 0.9 : 1.0;
                    ActionPolicy deterministic = new TablePolicy(Math.abs(seed % 1000));
                    try (Collector collector = new Collector(new Walks(world), PluginConfig.empty("env"), 2,
                            Duration.ofSeconds(5), 0, 0.0)) {
                        Trajectory episode = collector.collect(List.of(new EpisodeSpec("e", TASK, seed, "g")),
                                new TablePolicy(-1), seed).trajectories().get(0);
                        Collector.ForkValues forks = collector.forkValues(List.of(episode), List.of(TASK), rollouts,
                                deterministic, seed, gamma, new PhaseTimes());
                        assertEquals((long) rollouts * episode.length(), forks.stats().attempted());
                        double[] values = forks.values().get(0);
                        assertEquals(0.0, values[episode.length()], "a terminal last state is worth 0");
                        double[] progress = new ProgressCredit(1, 1, 0, false)
                                .progress(List.of(episode), forks.values(), gamma).get(0);
                        double[] expected = trueAdvantages(world, episode, deterministic, gamma);
                        for (int t = 0; t < episode.length(); t++) {
                            assertEquals(expected[t], progress[t], 1e-9, "step " + t + " of " + episode.length());
                        }
                    }
                });
    }

    @Test
    void aReplayThatDoesNotReproduceTheEpisodeMeasuresNothingPastTheDivergence() {
        World world = new World(new int[][] {{1, 1}, {2, 2}, {3, 3}, {3, 3}}, new double[4][2], 3, 5);
        try (Collector collector = new Collector(new Walks(world), PluginConfig.empty("env"), 1,
                Duration.ofSeconds(5), 0, 1.0)) {
            Trajectory episode = collector.collect(List.of(new EpisodeSpec("e", TASK, 1, "g")), new TablePolicy(-1), 1)
                    .trajectories().get(0);
            assertEquals(3, episode.length());
            // the recorded second observation is not what the environment shows when the actions are replayed
            List<Step> steps = new ArrayList<>(episode.steps());
            Step second = steps.get(1);
            steps.set(1, new Step("somewhere else", second.stateKey(), second.rendered(), second.promptTokenIds(),
                    second.action(), second.actionTokenIds(), second.actionLogProbs(), second.reward(), second.done(),
                    second.info()));
            Trajectory altered = new Trajectory(episode.id(), episode.taskId(), episode.groupId(), episode.seed(),
                    episode.policyVersion(), steps, episode.finalObservation(), episode.finalStateKey(),
                    episode.outcome(), episode.terminated());
            Collector.ForkValues forks = collector.forkValues(List.of(altered), List.of(TASK), 2, new TablePolicy(3),
                    1, 1.0, new PhaseTimes());
            double[] v = forks.values().get(0);
            assertEquals(1.0, v[0], "from s_0 every walk reaches the goal");
            assertTrue(Double.isNaN(v[1]) && Double.isNaN(v[2]), "states past the divergence are not measured");
            assertEquals(2, forks.stats().attempted());
        }
    }
}

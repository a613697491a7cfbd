package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.critic.FitReport;
import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How the value estimator feeds a critic: one value per state s_0..s_T, Monte Carlo targets with a terminal last
 * state fitted to 0, a held-out split by whole tasks, a bounded replay of recent trajectories, and the explained
 * variance and calibration it reports, checked against numbers worked out by hand.
 *
 * <p>The critics are small real ones written here (the tabular and neural critics are plugins that sdk-core cannot
 * depend on): the mean of the training returns per state key, which also keeps what it was last fitted on so that
 * the tests can see the split. Features come from a real micro model's policy.
 */
class ValueEstimatorTest {
    private static final TrainerSettings.CriticKey BY_STATE = TrainerSettings.CriticKey.STATE;
    private static LlamaModel model;
    private static LanguagePolicy policy;

    @BeforeAll
    static void openModel() {
        ByteTokenizer tokenizer = new ByteTokenizer();
        model = LlamaModel.random(ModelPresets.preset("micro", tokenizer.vocabSize()), tokenizer, 3);
        policy = new LanguagePolicy(model, SamplingOptions.sampling(8, 1.0), 4);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    /** V(s) = the mean training return of the state's key (refitted from scratch each time), 0 for unseen keys. */
    static class MeanCritic implements Critic {
        private final Map<String, double[]> table = new HashMap<>();
        List<CriticSample> train = List.of();
        List<CriticSample> heldOut = List.of();

        @Override
        public boolean needsFeatures() {
            return false;
        }

        @Override
        public double[] predict(List<CriticState> states) {
            return states.stream().mapToDouble(s -> {
                double[] sumCount = table.get(s.stateKey());
                return sumCount == null ? 0 : sumCount[0] / sumCount[1];
            }).toArray();
        }

        @Override
        public FitReport fit(List<CriticSample> train, List<CriticSample> heldOut) {
            this.train = List.copyOf(train);
            this.heldOut = List.copyOf(heldOut);
            table.clear();
            for (CriticSample s : train) {
                double[] sumCount = table.computeIfAbsent(s.state().stateKey(), k -> new double[2]);
                sumCount[0] += s.target();
                sumCount[1]++;
            }
            double[] targets = heldOut.stream().mapToDouble(CriticSample::target).toArray();
            double[] predicted = predict(heldOut.stream().map(CriticSample::state).toList());
            return new FitReport(Double.NaN, FitReport.meanSquaredError(targets, predicted),
                    FitReport.explainedVariance(targets, predicted), 1);
        }

        @Override
        public byte[] saveState() {
            throw new UnsupportedOperationException("the value estimator never checkpoints its critic");
        }

        @Override
        public void restoreState(byte[] state) {
            throw new UnsupportedOperationException("the value estimator never checkpoints its critic");
        }
    }

    private static Step step(String key, double reward) {
        return new Step("obs " + key, key, "", new ByteTokenizer().encode("obs " + key, true), "go", new int[] {3},
                new float[] {-1}, reward, false, Map.of());
    }

    /** A trajectory of task {@code task} with steps keyed {@code <id>/s<t>} and final state {@code <id>/end}. */
    private static Trajectory trajectory(String id, String task, double outcome, boolean terminated,
                                         double... rewards) {
        List<Step> steps = new ArrayList<>();
        for (int t = 0; t < rewards.length; t++) {
            steps.add(step(id + "/s" + t, rewards[t]));
        }
        return new Trajectory(id, task, task, 0, 0, steps, "final " + id, id + "/end", new Outcome(outcome, outcome > 0),
                terminated);
    }

    /** The trajectory a sample's state belongs to (keys are {@code <id>/...}). */
    private static String owner(CriticSample sample) {
        return sample.state().stateKey().substring(0, sample.state().stateKey().indexOf('/'));
    }

    private static Set<String> owners(List<CriticSample> samples) {
        Set<String> out = new TreeSet<>();
        samples.forEach(s -> out.add(owner(s)));
        return out;
    }

    @Test
    void keyedByObservationStatesThatLookAlikeShareOneValue() {
        MeanCritic critic = new MeanCritic();
        ValueEstimator values = new ValueEstimator(critic, policy, 1.0, 0, 10, 1.0,
                TrainerSettings.CriticKey.OBSERVATION, false);
        // Two states of different tasks (keys a/s0 and b/s0) that show the policy the same observation.
        Trajectory won = new Trajectory("a", "t1", "t1", 0, 0, List.of(lookingLike("a/s0", "obs x")), "end", "a/end",
                new Outcome(1, true), true);
        Trajectory lost = new Trajectory("b", "t2", "t2", 0, 0, List.of(lookingLike("b/s0", "obs x")), "end", "b/end",
                new Outcome(0, false), true);
        values.fit(List.of(won, lost), 1);
        assertEquals(Set.of("obs x", "end"), critic.table.keySet());
        assertArrayEquals(new double[] {0.5, 0}, values.values(List.of(won)).get(0), 1e-12);

        MeanCritic byState = new MeanCritic();
        ValueEstimator exact = estimator(byState, 1.0, 0, 10);
        exact.fit(List.of(won, lost), 1);
        assertArrayEquals(new double[] {1, 0}, exact.values(List.of(won)).get(0), 1e-12);
    }

    private static Step lookingLike(String key, String observation) {
        return new Step(observation, key, "", new ByteTokenizer().encode(observation, true), "go", new int[] {3},
                new float[] {-1}, 0, false, Map.of());
    }

    private static ValueEstimator estimator(Critic critic, double gamma, double heldOut, int replay) {
        return new ValueEstimator(critic, policy, gamma, heldOut, replay, 1.0, BY_STATE, false);
    }

    @Test
    void belowLambdaOneTheTargetsAfterTheFirstFitBootstrapFromTheCriticsValues() {
        MeanCritic critic = new MeanCritic();
        ValueEstimator values = new ValueEstimator(critic, policy, 1.0, 0, 10, 0.5, BY_STATE, false);
        // Shared keys: a state's first target is its Monte Carlo return, 1 for both states of the success.
        Trajectory success = trajectory("a", "t", 1, true, 0, 0);
        values.fit(List.of(success), 0);
        assertEquals(1.0, critic.predict(List.of(CriticState.ofKey("a/s0")))[0]);
        // The same trajectory failing: G_1 = 0 (terminal), G_0 = 0.5 V(s_1) + 0.5 G_1 = 0.5 with V(s_1) = 1 from the
        // first fit; the table averages both trajectories' targets per key.
        Trajectory failure = trajectory("a", "t", 0, true, 0, 0);
        values.fit(List.of(failure), 1);
        Map<String, List<Double>> targets = new HashMap<>();
        critic.train.forEach(s -> targets.computeIfAbsent(s.state().stateKey(), k -> new ArrayList<>()).add(s.target()));
        assertEquals(List.of(1.0, 0.5), targets.get("a/s0"));
        assertEquals(List.of(1.0, 0.0), targets.get("a/s1"));
        assertThrows(IllegalArgumentException.class, () -> new ValueEstimator(critic, policy, 1.0, 0, 10, 1.5, BY_STATE, false));
    }

    @Test
    void valuesAreTheCriticsPredictionsForS0ToST() {
        MeanCritic critic = new MeanCritic();
        critic.fit(List.of(new CriticSample(CriticState.ofKey("a/s0"), 1), new CriticSample(CriticState.ofKey("a/s1"), 2),
                new CriticSample(CriticState.ofKey("a/end"), 5), new CriticSample(CriticState.ofKey("c/s2"), -1)),
                List.of());
        ValueEstimator values = estimator(critic, 1, 0.2, 8);
        List<double[]> v = values.values(List.of(trajectory("a", "t", 0, true, 0, 0),
                trajectory("b", "t", 0, false), trajectory("c", "t", 0, true, 0, 0, 0)));
        assertEquals(3, v.size());
        assertArrayEquals(new double[] {1, 2, 5}, v.get(0), "T = 2: V(s_0), V(s_1), V(s_T)");
        assertArrayEquals(new double[] {0}, v.get(1), "T = 0: V(s_T) alone");
        assertArrayEquals(new double[] {0, 0, -1, 0}, v.get(2), "T = 3");
        assertEquals(List.of(), values.values(List.of()));
    }

    @Test
    void aLearnedCriticSeesThePoliciesFeaturesOfEachStoredPromptAndOfTheFinalPrompt() {
        List<List<CriticState>> seen = new ArrayList<>();
        Critic learned = new MeanCritic() {
            @Override
            public boolean needsFeatures() {
                return true;
            }

            @Override
            public double[] predict(List<CriticState> states) {
                seen.add(states);
                return new double[states.size()];
            }
        };
        Trajectory t = trajectory("a", "t", 1, true, 0, 0);
        estimator(learned, 1, 0.2, 8).values(List.of(t));
        List<CriticState> states = seen.get(0);
        assertEquals(3, states.size());
        List<int[]> prompts = List.of(t.steps().get(0).promptTokenIds(), t.steps().get(1).promptTokenIds(),
                policy.finalPromptTokens(t));
        for (int i = 0; i < 3; i++) {
            assertEquals(t.stateKeys().get(i), states.get(i).stateKey());
            float[][] expected = policy.features(List.of(prompts.get(i)))[0];
            float[][] actual = states.get(i).features();
            assertEquals(4, actual.length, "the last 4 tokens' hidden states");
            for (int k = 0; k < expected.length; k++) {
                assertArrayEquals(expected[k], actual[k], 1e-5f, "state " + i + " token " + k);
            }
        }
    }

    @Test
    void theTargetsAreMonteCarloReturnsAndATerminalLastStateIsFittedToZero() {
        MeanCritic critic = new MeanCritic();
        ValueEstimator values = estimator(critic, 0.5, 0.2, 8);
        assertFalse(values.fitted());
        // one task only: nothing is held out
        ValueEstimator.Report report = values.fit(List.of(trajectory("won", "t", 1, true, 0.5, 0),
                trajectory("cut", "t", 0, false, 0.25)), 0);
        assertTrue(values.fitted());
        // won: rewards (0.5, 0 + outcome 1), G_1 = 1, G_0 = 0.5 + 0.5 * 1 = 1; its terminal s_T is fitted to 0.
        // cut: G_0 = 0.25; its last state is a truncation point, whose value is unknown: not fitted.
        Map<String, Double> expected = new HashMap<>(Map.of("won/s0", 1.0, "won/s1", 1.0, "won/end", 0.0,
                "cut/s0", 0.25));
        Map<String, Double> actual = new HashMap<>();
        critic.train.forEach(s -> actual.put(s.state().stateKey(), s.target()));
        assertEquals(expected, actual);
        assertEquals(4, critic.train.size());
        assertEquals(List.of(), critic.heldOut);
        assertTrue(Double.isNaN(report.calibrationError()), "no held-out tasks, no calibration");
    }

    @Test
    void theHeldOutSplitIsByWholeTasks() {
        qt().withExamples(20).forAll(longs().all()).checkAssert(seed -> {
            List<Trajectory> batch = new ArrayList<>();
            Map<String, String> taskOf = new HashMap<>();
            for (int task = 0; task < 7; task++) {
                for (int k = 0; k < 2; k++) {
                    String id = "e" + task + "_" + k;
                    batch.add(trajectory(id, "task" + task, k, true, 0, 0.5));
                    taskOf.put(id, "task" + task);
                }
            }
            MeanCritic critic = new MeanCritic();
            estimator(critic, 0.9, 0.3, 64).fit(batch, seed);
            Set<String> trainTasks = new HashSet<>();
            Set<String> heldOutTasks = new HashSet<>();
            owners(critic.train).forEach(id -> trainTasks.add(taskOf.get(id)));
            owners(critic.heldOut).forEach(id -> heldOutTasks.add(taskOf.get(id)));
            assertEquals(2, heldOutTasks.size(), "round(0.3 * 7) tasks held out");
            assertEquals(5, trainTasks.size());
            assertTrue(trainTasks.stream().noneMatch(heldOutTasks::contains), "a task on both sides");
            // each trajectory whole on its side: 2 steps and the terminal state
            assertEquals(5 * 2 * 3, critic.train.size());
            assertEquals(2 * 2 * 3, critic.heldOut.size());

            MeanCritic again = new MeanCritic();
            estimator(again, 0.9, 0.3, 64).fit(batch, seed);
            assertEquals(critic.heldOut, again.heldOut, "the split is a function of the seed");
        });
    }

    @Test
    void fewerThanThreeTasksHoldOutNothing() {
        MeanCritic critic = new MeanCritic();
        estimator(critic, 1, 0.5, 8).fit(List.of(trajectory("a", "x", 1, true, 0), trajectory("b", "y", 0, true, 0)), 1);
        assertEquals(Set.of("a", "b"), owners(critic.train));
        assertEquals(List.of(), critic.heldOut);
    }

    @Test
    void aHeldOutFractionOfZeroHoldsOutNoTask() {
        MeanCritic critic = new MeanCritic();
        List<Trajectory> batch = new ArrayList<>();
        for (int task = 0; task < 5; task++) {
            batch.add(trajectory("e" + task, "task" + task, 1, true, 0));
        }
        estimator(critic, 1, 0, 8).fit(batch, 3);
        assertEquals(List.of(), critic.heldOut);
        assertEquals(5, owners(critic.train).size());
    }

    @Test
    void theReplayKeepsTheMostRecentTrajectories() {
        MeanCritic critic = new MeanCritic();
        ValueEstimator values = estimator(critic, 1, 0.2, 3);
        Trajectory[] t = new Trajectory[10];
        for (int i = 0; i < t.length; i++) {
            t[i] = trajectory("t" + i, "task", i, true, 0);
        }
        values.fit(List.of(t[0], t[1]), 0);
        assertEquals(List.of(t[0], t[1]), values.replay());
        values.fit(List.of(t[2], t[3]), 0);
        assertEquals(List.of(t[1], t[2], t[3]), values.replay(), "the oldest went out");
        assertEquals(Set.of("t1", "t2", "t3"), owners(critic.train), "fitted on the replay, the new batch included");
        values.fit(List.of(t[4], t[5], t[6], t[7], t[8]), 0);
        assertEquals(List.of(t[6], t[7], t[8]), values.replay(), "a batch larger than the replay keeps its newest");
        assertEquals(Set.of("t6", "t7", "t8"), owners(critic.train));
    }

    @Test
    void theReplayRoundTripsThroughACheckpoint() {
        List<Trajectory> first = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            first.add(trajectory("a" + i, "task" + (i % 3), i % 2, i % 2 == 0, 0.1 * i, 0));
        }
        List<Trajectory> next = List.of(trajectory("b0", "task1", 1, true, 0), trajectory("b1", "task3", 0, false, 1));
        MeanCritic uninterruptedCritic = new MeanCritic();
        ValueEstimator uninterrupted = estimator(uninterruptedCritic, 0.9, 0.34, 5);
        uninterrupted.fit(first, 4);
        List<Trajectory> saved = uninterrupted.replay();
        assertEquals(first.subList(1, 6), saved);
        assertThrows(UnsupportedOperationException.class, () -> saved.add(next.get(0)), "a copy, not the replay");

        MeanCritic resumedCritic = new MeanCritic();
        ValueEstimator resumed = new ValueEstimator(resumedCritic, policy, 0.9, 0.34, 5, 1.0, BY_STATE, true);
        assertTrue(resumed.fitted());
        resumed.restoreReplay(saved);
        assertEquals(saved, resumed.replay());

        ValueEstimator.Report a = uninterrupted.fit(next, 5);
        ValueEstimator.Report b = resumed.fit(next, 5);
        assertEquals(uninterrupted.replay(), resumed.replay());
        assertEquals(uninterruptedCritic.train, resumedCritic.train);
        assertEquals(uninterruptedCritic.heldOut, resumedCritic.heldOut);
        assertEquals(a, b);

        ValueEstimator small = estimator(new MeanCritic(), 0.9, 0.34, 2);
        small.restoreReplay(first);
        assertEquals(first.subList(4, 6), small.replay(), "a saved replay larger than the capacity keeps its newest");
    }

    @Test
    void explainedVarianceAgainstHandComputedNumbers() {
        ValueEstimator values = estimator(new MeanCritic(), 0.5, 0.2, 8);
        // A: rewards (0, 0, 0 + outcome 1), gamma 0.5: G = (0.25, 0.5, 1). B: rewards (1), outcome 0: G = (1).
        List<Trajectory> batch = List.of(trajectory("A", "t", 1, true, 0, 0, 0), trajectory("B", "t", 0, true, 1));
        // V(s_T) (the 9s) is not compared with anything: there is no return from s_T.
        List<double[]> predicted = List.of(new double[] {0.25, 0.25, 0.75, 9}, new double[] {0.5, 9});
        // residuals G - V = (0, 0.25, 0.25, 0.5): mean 0.25, variance (0.0625 + 0 + 0 + 0.0625) / 4 = 1/32.
        // targets (0.25, 0.5, 1, 1): mean 0.6875, variance 0.421875 / 4 = 27/256. EV = 1 - (1/32) / (27/256) = 19/27.
        assertEquals(19.0 / 27, values.explainedVariance(batch, predicted), 1e-12);
        assertEquals(1, values.explainedVariance(batch, List.of(new double[] {0.25, 0.5, 1, 0}, new double[] {1, 0})),
                1e-12, "exact values explain everything");
        assertTrue(Double.isNaN(values.explainedVariance(List.of(trajectory("C", "t", 1, true, 0)),
                List.of(new double[] {0, 0}))), "one target has no variance to explain");
    }

    @Test
    void calibrationErrorAgainstHandComputedExamples() {
        // four states, four bins of one: mean |p - g| = (0.1 + 0.1 + 0.5 + 0.3) / 4
        assertEquals(0.25, ValueEstimator.calibrationError(new double[] {1, 0, 0, 0},
                new double[] {0.9, 0.1, 0.5, 0.3}), 1e-12);
        // twenty states, ten equal-count bins of two neighbours in predicted order. Within each bin one target is
        // 0.15 above its prediction and the other 0.05 below: each bin's means are off by (0.15 - 0.05) / 2 = 0.05,
        // although single states are off by 0.1 on average. The input order is scrambled.
        int n = 20;
        double[] predicted = new double[n];
        double[] targets = new double[n];
        for (int i = 0; i < n; i++) {
            int rank = (7 * i) % n;
            predicted[i] = 0.05 * rank;
            targets[i] = predicted[i] + (rank % 2 == 0 ? 0.15 : -0.05);
        }
        assertEquals(0.05, ValueEstimator.calibrationError(targets, predicted), 1e-12);
        // an over-optimistic critic that ranks perfectly: every prediction 0.5 above its return
        double[] optimistic = new double[n];
        for (int i = 0; i < n; i++) {
            optimistic[i] = targets[i] + 0.5;
        }
        assertEquals(0.5, ValueEstimator.calibrationError(targets, optimistic), 1e-12);
    }

    @Test
    void fitReportsTheCalibrationOfTheHeldOutTask() {
        // three tasks of one truncated step from a shared state "start", returns 0, 0.5 and 1. One task is held out;
        // the critic's V(start) is the mean return of the other two.
        Map<String, Double> expectedByHeldOut = Map.of("a", 0.75, "b", 0.0, "c", 0.75);
        Set<String> heldOutSeen = new TreeSet<>();
        for (long seed = 0; seed < 12; seed++) {
            MeanCritic critic = new MeanCritic();
            List<Trajectory> batch = new ArrayList<>();
            double[] outcomes = {0, 0.5, 1};
            String[] tasks = {"a", "b", "c"};
            for (int i = 0; i < 3; i++) {
                Step start = step("start", 0);
                batch.add(new Trajectory(tasks[i], tasks[i], tasks[i], 0, 0, List.of(start), "f", "end",
                        new Outcome(outcomes[i], false), false));
            }
            ValueEstimator.Report report = estimator(critic, 1, 0.34, 8).fit(batch, seed);
            assertEquals(1, critic.heldOut.size());
            double heldOutReturn = critic.heldOut.get(0).target();
            String heldOut = tasks[(int) Math.round(heldOutReturn * 2)];
            heldOutSeen.add(heldOut);
            assertEquals(expectedByHeldOut.get(heldOut), report.calibrationError(), 1e-12, "held out " + heldOut);
            assertEquals(Math.pow(expectedByHeldOut.get(heldOut), 2), report.fit().heldOutLoss(), 1e-12,
                    "the critic's own report is passed on");
        }
        assertEquals(Set.of("a", "b", "c"), heldOutSeen, "the seed chooses the held-out task");
    }

    @Test
    void aReplayCapacityBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> estimator(new MeanCritic(), 1, 0.2, 0));
        assertTrue(e.getMessage().contains("replay capacity must be positive, got 0"), e.getMessage());
    }
}

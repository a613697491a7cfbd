package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.config.ConfigException;
import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProgressCreditTest {

    /** An episode of {@code length} steps with an outcome, its values drawn from {@code seed}. */
    private static Trajectory episode(int length, boolean success, boolean terminated) {
        List<Step> steps = new ArrayList<>();
        for (int t = 0; t < length; t++) {
            steps.add(new Step("o" + t, "s" + t, "", new int[] {1}, "a", new int[] {2}, new float[] {-0.5f}, 0,
                    t == length - 1, Map.of()));
        }
        return new Trajectory("e", "task", "g", 0, 0, steps, "end", "s" + length,
                new Outcome(success ? 1 : 0, success), terminated);
    }

    private static double[] values(int length, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] v = new double[length + 1];
        for (int t = 0; t <= length; t++) {
            v[t] = random.nextDouble();
        }
        return v;
    }

    @Test
    void progressIsFiniteAndItsWeightScalesIt() {
        qt().forAll(integers().between(1, 30), integers().allPositive(), doubles().between(0, 5))
                .checkAssert((length, seed, alpha) -> {
                    Trajectory t = episode(length, seed % 2 == 0, seed % 3 != 0);
                    double[] v = values(length, seed);
                    double[] outcome = values(length - 1, seed + 1);
                    List<StepAdvantages> out = new ProgressCredit(alpha, 1, 0, false).apply(
                            List.of(new StepAdvantages(outcome, outcome)), List.of(t), List.of(v), 1.0);
                    double[] delta = ProgressCredit.delta(Returns.sparseRewards(t), v, t.terminated(), 1.0);
                    for (int k = 0; k < length; k++) {
                        double a = out.get(0).advantages()[k];
                        assertTrue(Double.isFinite(a));
                        assertEquals(outcome[k] + alpha * delta[k], a, 1e-12);
                    }
                    assertArrayEquals(outcome, out.get(0).returns());
                });
    }

    @Test
    void withoutProgressTheAlgorithmsAdvantagesAreUnchanged() {
        // delta = 0 everywhere: a value function that already knows the outcome (V = R on every state, 0 after the end).
        Trajectory t = episode(4, true, true);
        double[] exact = {1, 1, 1, 1, 0};
        double[] outcome = {0.5, 0.5, 0.5, 0.5};
        List<StepAdvantages> out = new ProgressCredit(1, 1, 0, false).apply(
                List.of(new StepAdvantages(outcome, outcome)), List.of(t), List.of(exact), 1.0);
        assertArrayEquals(outcome, out.get(0).advantages(), 1e-12);
        // alpha = 0 leaves any advantages as they were.
        out = new ProgressCredit(0, 1, 0, false).apply(List.of(new StepAdvantages(outcome, outcome)), List.of(t),
                List.of(values(4, 7)), 1.0);
        assertArrayEquals(outcome, out.get(0).advantages(), 0);
    }

    /**
     * A deterministic chain 0..n: from state s, action "right" moves to s + 1 and "stay" stays; reaching n ends the
     * episode with reward 1; every step costs nothing, gamma discounts. Under a policy that moves right with
     * probability p, V satisfies V(s) = gamma (p V(s + 1) + (1 - p) V(s)) and V(n) = 0 after the terminal reward; the
     * true one-step advantage of an action is Q(s, a) - V(s) with Q(s, a) = r(s, a) + gamma V(s'). Progress credit
     * with the exact V is that advantage, step by step.
     */
    @Test
    void withExactValuesProgressIsTheTrueOneStepAdvantage() {
        qt().forAll(integers().between(2, 8), doubles().between(0.1, 0.9), doubles().between(0.5, 1.0))
                .checkAssert((n, p, gamma) -> {
                    // Value before the terminal transition: V(n - 1) = p (1 + 0) gamma-free reward ... solved backwards.
                    double[] value = new double[n + 1];
                    value[n] = 0;
                    for (int s = n - 1; s >= 0; s--) {
                        double reward = s == n - 1 ? 1 : 0;
                        // V(s) = p (r + gamma V(s+1)) + (1 - p) gamma V(s)
                        value[s] = p * (reward + gamma * value[s + 1]) / (1 - (1 - p) * gamma);
                    }
                    // An episode: right, stay, right, ..., the stay at state 0 once.
                    List<Integer> states = new ArrayList<>();
                    List<Boolean> moves = new ArrayList<>();
                    states.add(0);
                    moves.add(false);
                    states.add(0);
                    for (int s = 0; s < n; s++) {
                        moves.add(true);
                        states.add(s + 1);
                    }
                    int length = moves.size();
                    double[] rewards = new double[length];
                    double[] v = new double[length + 1];
                    for (int t = 0; t < length; t++) {
                        v[t] = value[states.get(t)];
                        rewards[t] = moves.get(t) && states.get(t + 1) == n ? 1 : 0;
                    }
                    v[length] = 0;
                    double[] delta = ProgressCredit.delta(rewards, v, true, gamma);
                    for (int t = 0; t < length; t++) {
                        int s = states.get(t);
                        int next = states.get(t + 1);
                        double q = rewards[t] + gamma * (next == n ? 0 : value[next]);
                        assertEquals(q - value[s], delta[t], 1e-9, "step " + t);
                    }
                });
    }

    @Test
    void aTruncatedEpisodeBootstrapsFromItsLastState() {
        double[] v = {0.2, 0.4, 0.7};
        assertArrayEquals(new double[] {0.2, 0.3}, ProgressCredit.delta(new double[] {0, 0}, v, false, 1.0), 1e-12);
        assertArrayEquals(new double[] {0.2, -0.4}, ProgressCredit.delta(new double[] {0, 0}, v, true, 1.0), 1e-12);
    }

    @Test
    void theProverIsBestOfK() {
        assertArrayEquals(new double[] {0, 0.75, 1}, ProgressCredit.prover(new double[] {0, 0.5, 1}, 2), 1e-12);
        assertArrayEquals(new double[] {0, 1}, ProgressCredit.prover(new double[] {-0.3, 1.7}, 3), 1e-12);
        double[] raw = {-0.3, 0.5};
        assertArrayEquals(raw, ProgressCredit.prover(raw, 1), 0);
    }

    @Test
    void clippingAndNormalisationBoundTheProgressTerm() {
        Trajectory t = episode(3, true, true);
        double[] v = {0, 0.9, 0, 0};
        List<double[]> clipped = new ProgressCredit(1, 1, 0.5, false).progress(List.of(t), List.of(v), 1.0);
        assertArrayEquals(new double[] {0.5, -0.5, 0.5}, clipped.get(0), 1e-12);
        List<double[]> normalised = new ProgressCredit(1, 1, 0, true).progress(List.of(t), List.of(v), 1.0);
        double squares = 0;
        for (double d : normalised.get(0)) {
            squares += d * d;
        }
        assertEquals(1, squares / 3, 1e-6);
    }

    @Test
    void badSettingsNameTheirKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> new ProgressCredit(-1, 1, 0, false));
        assertTrue(e.getMessage().contains("credit.alpha"), e.getMessage());
        e = assertThrows(ConfigException.class, () -> new ProgressCredit(1, 0, 0, false));
        assertTrue(e.getMessage().contains("credit.prover_k"), e.getMessage());
    }
}

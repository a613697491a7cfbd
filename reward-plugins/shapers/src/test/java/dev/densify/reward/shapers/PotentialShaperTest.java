package dev.densify.reward.shapers;

import static dev.densify.reward.shapers.Episodes.TOLERANCE;
import static dev.densify.reward.shapers.Episodes.arrays;
import static dev.densify.reward.shapers.Episodes.discountedReturn;
import static dev.densify.reward.shapers.Episodes.episodes;
import static dev.densify.reward.shapers.Episodes.scaleOf;
import static dev.densify.reward.shapers.Episodes.terminatedEpisodes;
import static dev.densify.reward.shapers.Episodes.withOutcome;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Outcome;
import dev.densify.api.plugin.PluginContext;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PotentialShaperTest {

    private static final Gen<Double> LAMBDAS = doubles().between(0, 3);
    private static final Gen<Double> GAMMAS = doubles().between(0, 1);

    private static PotentialShaper shaper(double lambda, double gamma) {
        return new PotentialShaper(new PotentialShaperConfig(lambda, gamma, 0));
    }

    /** Phi(s_i) as the formulas define it, computed here independently of the shaper. */
    private static double phi(ShapingInput e, double lambda, int i) {
        return i == e.length() && e.terminated() ? 0 : lambda * e.values()[i];
    }

    /** F_t recovered from the shaper's output: r'_t - r_t. */
    private static double[] shapingTerms(ShapingInput e, double[] shaped) {
        double[] f = new double[e.length()];
        for (int t = 0; t < f.length; t++) {
            f[t] = shaped[t] - e.stepRewards()[t];
        }
        return f;
    }

    /** Reference GAE: delta_t = r_t + gamma V(s_{t+1}) - V(s_t), A_t = delta_t + gamma lam A_{t+1}. */
    private static double[][] tdResidualsAndGae(double[] rewards, double[] values, double gamma, double lam) {
        int length = rewards.length;
        double[] deltas = new double[length];
        double[] advantages = new double[length];
        double next = 0;
        for (int t = length - 1; t >= 0; t--) {
            deltas[t] = rewards[t] + gamma * values[t + 1] - values[t];
            next = deltas[t] + gamma * lam * next;
            advantages[t] = next;
        }
        return new double[][] {deltas, advantages};
    }

    private static void assertClose(double expected, double actual, double scale, String what) {
        assertEquals(expected, actual, TOLERANCE * scale, what);
    }

    @Nested
    @DisplayName("1. telescoping")
    class Telescoping {
        @Test
        @DisplayName("sum_t gamma^t F_t = gamma^T Phi(s_T) - Phi(s_0) for any Phi, gamma and length")
        void shapingTelescopes() {
            qt().forAll(episodes(0, 20), LAMBDAS, GAMMAS).checkAssert((e, lambda, gamma) -> {
                double[] f = shapingTerms(e, shaper(lambda, gamma).shape(e));
                double sum = discountedReturn(f, gamma);
                double expected = Math.pow(gamma, e.length()) * phi(e, lambda, e.length()) - phi(e, lambda, 0);
                assertClose(expected, sum, 100 * lambda + 1, "discounted sum of F_t");
            });
        }

        @Test
        @DisplayName("each F_t is gamma * Phi(s_{t+1}) - Phi(s_t), with Phi(s_T) = 0 only when terminated")
        void eachTermIsTheDifferenceOfPotentials() {
            qt().forAll(episodes(1, 20), LAMBDAS, GAMMAS).checkAssert((e, lambda, gamma) -> {
                double[] f = shapingTerms(e, shaper(lambda, gamma).shape(e));
                for (int t = 0; t < e.length(); t++) {
                    assertClose(gamma * phi(e, lambda, t + 1) - phi(e, lambda, t), f[t], 100, "F_" + t);
                }
            });
        }
    }

    @Nested
    @DisplayName("2. return shift")
    class ReturnShift {
        @Test
        @DisplayName("with a terminal s_T, G'_0 = G_0 - Phi(s_0) (outcome added after shaping)")
        void returnShiftsByMinusPhiOfTheStart() {
            qt().forAll(terminatedEpisodes(1, 20), LAMBDAS, GAMMAS).checkAssert((e, lambda, gamma) -> {
                double r = e.outcome().reward();
                double g = discountedReturn(withOutcome(e.stepRewards(), r), gamma);
                double shaped = discountedReturn(withOutcome(shaper(lambda, gamma).shape(e), r), gamma);
                assertClose(g - lambda * e.values()[0], shaped, 100 * lambda + 1, "G'_0");
            });
        }

        @Test
        @DisplayName("trajectories sharing s_0 keep their return order and their group-centred advantages")
        void groupRelativeAdvantagesAreUnchanged() {
            Gen<List<ShapingInput>> groups = lists().of(terminatedEpisodes(1, 12)).ofSizeBetween(2, 8);
            qt().forAll(groups, doubles().between(-10, 10), LAMBDAS, GAMMAS).checkAssert((group, v0, lambda, gamma) -> {
                PotentialShaper shaper = shaper(lambda, gamma);
                int n = group.size();
                double[] g = new double[n];
                double[] shaped = new double[n];
                for (int i = 0; i < n; i++) {
                    ShapingInput e = Episodes.withFirstValue(group.get(i), v0);
                    g[i] = discountedReturn(withOutcome(e.stepRewards(), e.outcome().reward()), gamma);
                    shaped[i] = discountedReturn(withOutcome(shaper.shape(e), e.outcome().reward()), gamma);
                }
                double scale = 100 * lambda + 100;
                double[] a = groupCentred(g);
                double[] aShaped = groupCentred(shaped);
                double[] z = zScores(g);
                double[] zShaped = zScores(shaped);
                for (int i = 0; i < n; i++) {
                    assertClose(a[i], aShaped[i], scale, "group-centred advantage of episode " + i);
                    if (Double.isFinite(z[i])) {
                        assertClose(z[i], zShaped[i], 1e4 * scale, "z-scored advantage of episode " + i);
                    }
                    for (int j = 0; j < n; j++) {
                        if (Math.abs(g[i] - g[j]) > 1e-6) {
                            assertEquals(g[i] > g[j], shaped[i] > shaped[j], "order of episodes " + i + ", " + j);
                        }
                    }
                }
            });
        }

        private double[] groupCentred(double[] returns) {
            double mean = java.util.Arrays.stream(returns).average().orElseThrow();
            return java.util.Arrays.stream(returns).map(x -> x - mean).toArray();
        }

        /** GRPO's (R - mean) / std, only where the group's std is not vanishing. */
        private double[] zScores(double[] returns) {
            double[] centred = groupCentred(returns);
            double std = Math.sqrt(java.util.Arrays.stream(centred).map(x -> x * x).average().orElseThrow());
            return java.util.Arrays.stream(centred).map(x -> std > 1e-3 ? x / std : Double.NaN).toArray();
        }
    }

    @Nested
    @DisplayName("3. GAE invariance")
    class GaeInvariance {
        @Test
        @DisplayName("with V' = V - Phi (V'(terminal) = 0), TD residuals and GAE advantages are identical for every lambda")
        void residualsAndAdvantagesAreUnchanged() {
            Gen<ShapingInput> episodes = episodes(1, 16);
            Gen<double[]> critics = arrays(17, 10);
            qt().forAll(episodes, critics, LAMBDAS.zip(GAMMAS, (l, g) -> new double[] {l, g}), doubles().between(0, 1))
                    .checkAssert((e, criticValues, lambdaGamma, gaeLambda) -> {
                        double lambda = lambdaGamma[0];
                        double gamma = lambdaGamma[1];
                        int length = e.length();
                        // The algorithm's critic U is any value function; the shaper's potential uses e.values().
                        double[] u = java.util.Arrays.copyOf(criticValues, length + 1);
                        if (e.terminated()) {
                            u[length] = 0;
                        }
                        double[] uShaped = new double[length + 1];
                        for (int i = 0; i <= length; i++) {
                            uShaped[i] = u[i] - phi(e, lambda, i);
                        }
                        double r = e.outcome().reward();
                        double[][] original = tdResidualsAndGae(withOutcome(e.stepRewards(), r), u, gamma, gaeLambda);
                        double[][] shaped = tdResidualsAndGae(
                                withOutcome(shaper(lambda, gamma).shape(e), r), uShaped, gamma, gaeLambda);
                        if (e.terminated()) {
                            assertEquals(0, uShaped[length], "V'(terminal)");
                        }
                        double scale = 1000 * (lambda + 1);
                        for (int t = 0; t < length; t++) {
                            assertClose(original[0][t], shaped[0][t], scale, "TD residual " + t);
                            assertClose(original[1][t], shaped[1][t], scale, "GAE advantage " + t);
                        }
                    });
        }
    }

    @Nested
    @DisplayName("4. negative checks")
    class NegativeChecks {
        @Test
        @DisplayName("a truncated episode leaves gamma^T Phi(s_T) in the shaped return")
        void truncationLeavesTheLastPotential() {
            Gen<ShapingInput> truncated = episodes(1, 10)
                    .map(e -> Episodes.withTermination(e, false))
                    .assuming(e -> Math.abs(e.values()[e.length()]) > 0.5);
            qt().forAll(truncated, doubles().between(0.5, 2), doubles().between(0.5, 1)).checkAssert((e, lambda, gamma) -> {
                double[] f = shapingTerms(e, shaper(lambda, gamma).shape(e));
                double leftover = discountedReturn(f, gamma) + lambda * e.values()[0];
                double expected = Math.pow(gamma, e.length()) * lambda * e.values()[e.length()];
                assertClose(expected, leftover, 100, "what remains beyond -Phi(s_0)");
                assertTrue(Math.abs(leftover) > 1e-4, "a truncated episode's shaping does not reduce to -Phi(s_0)");

                ShapingInput terminated = Episodes.withTermination(e, true);
                double[] fTerminated = shapingTerms(terminated, shaper(lambda, gamma).shape(terminated));
                assertClose(0, discountedReturn(fTerminated, gamma) + lambda * e.values()[0], 100,
                        "the same episode, terminated, shapes to exactly -Phi(s_0)");
            });
        }

        @Test
        @DisplayName("a shaping gamma different from the return gamma breaks telescoping (counterexample)")
        void mismatchedGammaBreaksTelescoping() {
            // Phi = 0, 1, 0 over a terminated two-step episode; shaping gamma 1, return gamma 0.5:
            // F = (1 - 0, 0 - 1), so sum_t 0.5^t F_t = 0.5, not -Phi(s_0) = 0.
            ShapingInput e = new ShapingInput(new double[2], new Outcome(0, false), new double[] {0, 1, 0}, true);
            double[] f = shapingTerms(e, shaper(1, 1).shape(e));
            assertArrayEquals(new double[] {1, -1}, f, TOLERANCE);
            assertEquals(0.5, discountedReturn(f, 0.5), TOLERANCE);
            assertNotEquals(-phi(e, 1, 0), discountedReturn(f, 0.5), 1e-3);
        }

        @Test
        @DisplayName("QuickTheories finds a counterexample to telescoping under a mismatched gamma")
        void searchFindsTheMismatch() {
            AssertionError falsified = assertThrows(AssertionError.class, () ->
                    qt().withFixedSeed(7).forAll(terminatedEpisodes(1, 8), doubles().between(0.1, 0.9))
                            .checkAssert((e, returnGamma) -> {
                                double[] f = shapingTerms(e, shaper(1, 1).shape(e));
                                assertClose(-e.values()[0], discountedReturn(f, returnGamma), 100, "telescoping");
                            }));
            assertTrue(falsified.getMessage().contains("telescoping") || falsified.getMessage().contains("alsified"),
                    falsified.getMessage());
        }

        @Test
        @DisplayName("the telescoping error under a mismatch is (gamma_s - gamma_r) * sum_t gamma_r^t Phi(s_{t+1})")
        void mismatchErrorIsExactlyAccountedFor() {
            qt().forAll(episodes(1, 16), LAMBDAS, GAMMAS, GAMMAS).checkAssert((e, lambda, shapingGamma, returnGamma) -> {
                double[] f = shapingTerms(e, shaper(lambda, shapingGamma).shape(e));
                double error = discountedReturn(f, returnGamma)
                        - (Math.pow(returnGamma, e.length()) * phi(e, lambda, e.length()) - phi(e, lambda, 0));
                double expected = 0;
                for (int t = 0; t < e.length(); t++) {
                    expected += Math.pow(returnGamma, t) * phi(e, lambda, t + 1);
                }
                expected *= shapingGamma - returnGamma;
                assertClose(expected, error, 100 * lambda + 1, "telescoping error");
            });
        }

        @Test
        @DisplayName("a constant per-step bonus can change which trajectory is best; potential shaping cannot")
        void constantBonusChangesTheBestTrajectory() {
            Gen<List<ShapingInput>> pairs = lists().of(terminatedEpisodes(1, 12)).ofSize(2)
                    .assuming(p -> p.get(0).length() != p.get(1).length());
            qt().forAll(pairs, doubles().between(-10, 10), LAMBDAS).checkAssert((pair, v0, lambda) -> {
                ShapingInput a = Episodes.withFirstValue(pair.get(0), v0);
                ShapingInput b = Episodes.withFirstValue(pair.get(1), v0);
                double ga = discountedReturn(withOutcome(a.stepRewards(), a.outcome().reward()), 1);
                double gb = discountedReturn(withOutcome(b.stepRewards(), b.outcome().reward()), 1);
                if (Math.abs(ga - gb) < 1e-6) {
                    return;
                }
                // The bonus that makes the other trajectory best: twice the break-even bonus per extra step.
                double bonus = 2 * (ga - gb) / (b.length() - a.length());
                double gaBonus = ga + bonus * a.length();
                double gbBonus = gb + bonus * b.length();
                assertEquals(ga < gb, gaBonus > gbBonus, "the bonus " + bonus + " flips the best trajectory");

                PotentialShaper shaper = shaper(lambda, 1);
                double gaShaped = discountedReturn(withOutcome(shaper.shape(a), a.outcome().reward()), 1);
                double gbShaped = discountedReturn(withOutcome(shaper.shape(b), b.outcome().reward()), 1);
                assertEquals(ga > gb, gaShaped > gbShaped, "potential shaping keeps the best trajectory");
            });
        }
    }

    @Nested
    @DisplayName("configuration and edge cases")
    class Edges {
        @Test
        @DisplayName("clip bounds |F_t| and leaves unclipped terms exact")
        void clipBoundsEachShapingTerm() {
            qt().forAll(episodes(1, 16), LAMBDAS, GAMMAS, doubles().between(0.01, 5)).checkAssert((e, lambda, gamma, clip) -> {
                double[] f = shapingTerms(e, new PotentialShaper(new PotentialShaperConfig(lambda, gamma, clip)).shape(e));
                for (int t = 0; t < e.length(); t++) {
                    double exact = gamma * phi(e, lambda, t + 1) - phi(e, lambda, t);
                    assertClose(Math.max(-clip, Math.min(clip, exact)), f[t], scaleOf(exact), "clipped F_" + t);
                }
            });
        }

        @Test
        @DisplayName("lambda 0 gives back the process rewards")
        void zeroLambdaIsTheIdentity() {
            qt().forAll(episodes(0, 16), GAMMAS).checkAssert((e, gamma) ->
                    assertArrayEquals(e.stepRewards(), shaper(0, gamma).shape(e), 0));
        }

        @Test
        @DisplayName("a non-finite critic value is rejected with the state it belongs to")
        void nonFiniteValuesAreRejected() {
            ShapingInput e = new ShapingInput(new double[2], new Outcome(1, true), new double[] {0, Double.NaN, 0}, true);
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> shaper(1, 1).shape(e));
            assertTrue(error.getMessage().contains("V(s_1)"), error.getMessage());
        }
    }

    @Nested
    @DisplayName("in a run")
    class InARun {
        private PluginConfig withGamma(double gamma) {
            return PluginConfig.of("shaper", Map.of("lambda", 1.0, "gamma", gamma));
        }

        @Test
        @DisplayName("a discount other than the algorithm's is refused, naming shaper.gamma")
        void aDiscountOtherThanTheAlgorithmsIsRefused() {
            ConfigException error = assertThrows(ConfigException.class, () -> new PotentialShaperProvider()
                    .create(withGamma(0.9), new PluginContext(0, 0.99, Map.of("shaper", "potential"))));
            assertEquals("shaper.gamma", error.path());
            assertTrue(error.getMessage().contains("0.99"), error.getMessage());
        }

        @Test
        @DisplayName("the algorithm's own discount is accepted")
        void theAlgorithmsDiscountIsAccepted() {
            RewardShaper shaper = new PotentialShaperProvider()
                    .create(withGamma(0.99), new PluginContext(0, 0.99, Map.of("shaper", "potential")));
            ShapingInput e = new ShapingInput(new double[] {0}, new Outcome(1, true), new double[] {0.5, 0}, true);
            assertArrayEquals(new double[] {-0.5}, shaper.shape(e), 1e-12);
        }
    }
}

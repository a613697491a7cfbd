package dev.densify.algo.ppo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class GaeTest {

    /** An episode of 1 to 6 steps: rewards, values V(s_0..s_T) and whether s_T is terminal. */
    private static Gen<EpisodeRewards> episodes() {
        return lists().of(doubles().between(-2, 2)).ofSizeBetween(2, 7)
                .zip(lists().of(doubles().between(-2, 2)).ofSize(7), booleans().all(), (r, v, terminated) -> {
                    double[] rewards = r.subList(1, r.size()).stream().mapToDouble(Double::doubleValue).toArray();
                    double[] values = v.subList(0, rewards.length + 1).stream().mapToDouble(Double::doubleValue)
                            .toArray();
                    return new EpisodeRewards("g", rewards, values, terminated,
                            Collections.nCopies(rewards.length, "s"));
                });
    }

    private static StepAdvantages gae(EpisodeRewards e, double gamma, double lam) {
        return new PpoOptimizer(new PpoConfig(gamma, lam, 0.2, 0.2, 0, false)).advantages(List.of(e)).get(0);
    }

    /** V(s_T) as the algorithm must see it. */
    private static double bootstrap(EpisodeRewards e) {
        return e.terminated() ? 0 : e.values()[e.rewards().length];
    }

    @Test
    void handComputedEpisode() {
        EpisodeRewards e = new EpisodeRewards("g", new double[] {0, 1}, new double[] {0.5, 0.8, 9}, true,
                List.of("a", "b"));
        // delta_1 = 1 + 0 - 0.8 = 0.2; delta_0 = 0 + 0.9 * 0.8 - 0.5 = 0.22; A_0 = 0.22 + 0.9 * 0.5 * 0.2 = 0.31.
        StepAdvantages a = gae(e, 0.9, 0.5);
        assertArrayEquals(new double[] {0.31, 0.2}, a.advantages(), 1e-12);
        assertArrayEquals(new double[] {0.81, 1.0}, a.returns(), 1e-12);
    }

    @Test
    void lambdaOneIsTheMonteCarloReturnMinusTheValue() {
        qt().withExamples(300).forAll(episodes(), doubles().between(0.5, 1)).checkAssert((e, gamma) -> {
            StepAdvantages a = gae(e, gamma, 1);
            int steps = e.rewards().length;
            for (int t = 0; t < steps; t++) {
                double g = Math.pow(gamma, steps - t) * bootstrap(e);
                for (int k = t; k < steps; k++) {
                    g += Math.pow(gamma, k - t) * e.rewards()[k];
                }
                assertEquals(g - e.values()[t], a.advantages()[t], 1e-9);
                assertEquals(g, a.returns()[t], 1e-9);
            }
        });
    }

    @Test
    void lambdaZeroIsTheOneStepTemporalDifference() {
        qt().withExamples(300).forAll(episodes(), doubles().between(0, 1)).checkAssert((e, gamma) -> {
            StepAdvantages a = gae(e, gamma, 0);
            int steps = e.rewards().length;
            for (int t = 0; t < steps; t++) {
                double next = t + 1 == steps ? bootstrap(e) : e.values()[t + 1];
                assertEquals(e.rewards()[t] + gamma * next - e.values()[t], a.advantages()[t], 1e-9);
            }
        });
    }

    @Test
    void returnsAreAdvantagesPlusValues() {
        qt().withExamples(200).forAll(episodes(), doubles().between(0, 1), doubles().between(0, 1))
                .checkAssert((e, gamma, lam) -> {
                    StepAdvantages a = gae(e, gamma, lam);
                    for (int t = 0; t < e.rewards().length; t++) {
                        assertEquals(a.advantages()[t] + e.values()[t], a.returns()[t], 1e-9);
                    }
                });
    }

    @Test
    void theLastValueCountsOnlyForTruncatedEpisodes() {
        qt().withExamples(200).forAll(episodes(), doubles().between(-5, 5)).checkAssert((e, newLast) -> {
            double[] values = e.values().clone();
            values[values.length - 1] = newLast;
            EpisodeRewards changed = new EpisodeRewards("g", e.rewards(), values, e.terminated(), e.stateKeys());
            StepAdvantages before = gae(e, 0.9, 0.95);
            StepAdvantages after = gae(changed, 0.9, 0.95);
            int last = e.rewards().length - 1;
            double expectedShift = e.terminated() ? 0 : 0.9 * (newLast - e.values()[last + 1]);
            assertEquals(expectedShift, after.advantages()[last] - before.advantages()[last], 1e-9);
        });
    }

    @Test
    void potentialShapingWithTheMatchingCriticLeavesGaeUnchanged() {
        // formulas.md invariant 3: r' = r + gamma Phi(s') - Phi(s), V' = V - Phi, V'(terminal) = 0.
        qt().withExamples(200).forAll(episodes(), lists().of(doubles().between(-2, 2)).ofSize(7),
                doubles().between(0, 1)).checkAssert((e, phis, lam) -> {
                    double gamma = 0.9;
                    int steps = e.rewards().length;
                    double[] phi = new double[steps + 1];
                    for (int t = 0; t <= steps; t++) {
                        phi[t] = e.terminated() && t == steps ? 0 : phis.get(t);
                    }
                    double[] shaped = new double[steps];
                    double[] shiftedValues = new double[steps + 1];
                    for (int t = 0; t < steps; t++) {
                        shaped[t] = e.rewards()[t] + gamma * phi[t + 1] - phi[t];
                    }
                    for (int t = 0; t <= steps; t++) {
                        shiftedValues[t] = e.values()[t] - phi[t];
                    }
                    EpisodeRewards s = new EpisodeRewards("g", shaped, shiftedValues, e.terminated(), e.stateKeys());
                    assertArrayEquals(gae(e, gamma, lam).advantages(), gae(s, gamma, lam).advantages(), 1e-9);
                });
    }

    @Test
    void whiteningGivesTheBatchMeanZeroAndUnitDeviationButKeepsTheReturns() {
        qt().withExamples(200).forAll(lists().of(episodes()).ofSizeBetween(1, 5)).checkAssert(batch -> {
            List<StepAdvantages> raw = new PpoOptimizer(new PpoConfig(1, 0.95, 0.2, 0.2, 0, false)).advantages(batch);
            List<StepAdvantages> white = new PpoOptimizer(PpoConfig.defaults()).advantages(batch);
            List<Double> rawAll = new ArrayList<>();
            List<Double> all = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                assertArrayEquals(raw.get(i).returns(), white.get(i).returns(), 0);
                for (int t = 0; t < raw.get(i).advantages().length; t++) {
                    rawAll.add(raw.get(i).advantages()[t]);
                    all.add(white.get(i).advantages()[t]);
                }
            }
            double mean = all.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double std = Math.sqrt(all.stream().mapToDouble(x -> (x - mean) * (x - mean)).average().orElseThrow());
            double rawMean = rawAll.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double rawStd = Math.sqrt(rawAll.stream().mapToDouble(x -> (x - rawMean) * (x - rawMean)).average()
                    .orElseThrow());
            assertEquals(0, mean, 1e-9);
            if (rawStd > 1e-4) {
                assertEquals(1, std, 1e-3);
            }
        });
    }

    @Test
    void nonFiniteCriticValuesAreReportedButAnUnusedTerminalValueIsIgnored() {
        EpisodeRewards bad = new EpisodeRewards("task-3", new double[] {1}, new double[] {Double.NaN, 0}, true,
                List.of("a"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> gae(bad, 1, 1));
        assertTrue(e.getMessage().contains("task-3") && e.getMessage().contains("critic"), e.getMessage());
        EpisodeRewards unusedNaN = new EpisodeRewards("g", new double[] {1}, new double[] {0.5, Double.NaN}, true,
                List.of("a"));
        assertArrayEquals(new double[] {0.5}, gae(unusedNaN, 1, 1).advantages(), 0);
    }

    @Test
    void configurationIsCheckedWithTheKeyAndItsRange() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginConfig.of("algo", Map.of("lam", "1.5")).bind(PpoConfig.class));
        assertTrue(e.getMessage().contains("algo.lam: must be in [0.0, 1.0], got 1.5"), e.getMessage());
        PpoOptimizer ppo = new PpoOptimizer(PluginConfig.of("algo", Map.of("beta", 0.01)).bind(PpoConfig.class));
        assertTrue(ppo.usesCritic());
        assertTrue(ppo.usesReference());
        assertTrue(!new PpoOptimizer(PluginConfig.of("algo", Map.of("beta", 0)).bind(PpoConfig.class)).usesReference());
    }
}

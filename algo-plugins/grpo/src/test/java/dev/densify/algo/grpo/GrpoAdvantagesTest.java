package dev.densify.algo.grpo;

import static dev.densify.algo.grpo.Episodes.denseGroup;
import static dev.densify.algo.grpo.Episodes.episode;
import static dev.densify.algo.grpo.Episodes.lengths;
import static dev.densify.algo.grpo.Episodes.outcomes;
import static dev.densify.algo.grpo.Episodes.sparseGroup;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.algo.Aggregation;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrpoAdvantagesTest {

    private static GrpoOptimizer grpo(double gamma, boolean scaleByStd) {
        return new GrpoOptimizer(new GrpoConfig(0.2, 0.2, 0.04, gamma, scaleByStd, Aggregation.TOKEN_MEAN));
    }

    @Test
    void aGroupOfTwoOutcomesGetsPlusAndMinusOne() {
        List<StepAdvantages> a = grpo(1, true).advantages(List.of(
                Episodes.sparse("t", 1, 3), Episodes.sparse("t", 0, 2)));
        double expected = 0.5 / (0.5 + 1e-6);
        assertArrayEquals(new double[] {expected, expected, expected}, a.get(0).advantages(), 1e-12);
        assertArrayEquals(new double[] {-expected, -expected}, a.get(1).advantages(), 1e-12);
        assertArrayEquals(new double[] {1, 1, 1}, a.get(0).returns(), 0);
    }

    @Test
    void denseStepsAreNormalisedByTheGroupsEpisodeReturns() {
        // G_0 of the two episodes: 0.5 + 0.9 * 1 = 1.4 and 0; mean 0.7, std 0.7.
        List<StepAdvantages> a = grpo(0.9, false).advantages(List.of(
                episode("t", 0.5, 1.0), episode("t", 0.0)));
        assertArrayEquals(new double[] {1.4 - 0.7, 1.0 - 0.7}, a.get(0).advantages(), 1e-12);
        assertArrayEquals(new double[] {-0.7}, a.get(1).advantages(), 1e-12);
        assertArrayEquals(new double[] {1.4, 1.0}, a.get(0).returns(), 1e-12);
        List<StepAdvantages> scaled = grpo(0.9, true).advantages(List.of(
                episode("t", 0.5, 1.0), episode("t", 0.0)));
        assertEquals(0.3 / (0.7 + 1e-6), scaled.get(0).advantages()[1], 1e-12);
    }

    @Test
    void withStdScalingEachGroupHasMeanZeroAndUnitDeviation() {
        qt().withExamples(300).forAll(outcomes(), lengths()).checkAssert((outcomes, lengths) -> {
            double[] first = firstStepAdvantages(grpo(1, true).advantages(sparseGroup("g", outcomes, lengths)));
            double std = Episodes.populationStd(outcomes.stream().mapToDouble(Double::doubleValue).toArray());
            assertEquals(0, Episodes.mean(first), 1e-9);
            double expectedStd = std / (std + 1e-6); // 1 unless every outcome is (nearly) the same
            assertEquals(expectedStd, Episodes.populationStd(first), 1e-9);
            if (std > 1e-3) {
                assertEquals(1, Episodes.populationStd(first), 1e-3);
            }
        });
    }

    @Test
    void sparseRewardsWithGammaOneGiveEveryStepTheEpisodeLevelAdvantage() {
        qt().withExamples(300).forAll(outcomes(), lengths()).checkAssert((outcomes, lengths) -> {
            List<EpisodeRewards> batch = sparseGroup("g", outcomes, lengths);
            for (boolean scale : new boolean[] {true, false}) {
                List<StepAdvantages> a = grpo(1, scale).advantages(batch);
                double mean = outcomes.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                double var = outcomes.stream().mapToDouble(r -> (r - mean) * (r - mean)).average().orElseThrow();
                double denominator = scale ? Math.sqrt(var) + 1e-6 : 1;
                for (int i = 0; i < batch.size(); i++) {
                    double expected = (outcomes.get(i) - mean) / denominator;
                    for (double step : a.get(i).advantages()) {
                        assertEquals(expected, step, 1e-9);
                    }
                }
            }
        });
    }

    @Test
    void groupsAreNormalisedIndependently() {
        qt().withExamples(200).forAll(denseGroup(), denseGroup()).checkAssert((g1, g2) -> {
            List<EpisodeRewards> alone = denseGroup("a", g1);
            List<EpisodeRewards> other = denseGroup("b", g2);
            // Interleave the two groups: grouping is by id, not by position.
            List<EpisodeRewards> mixed = new ArrayList<>();
            List<Integer> positionsOfAlone = new ArrayList<>();
            for (int i = 0; i < Math.max(alone.size(), other.size()); i++) {
                if (i < alone.size()) {
                    positionsOfAlone.add(mixed.size());
                    mixed.add(alone.get(i));
                }
                if (i < other.size()) {
                    mixed.add(other.get(i));
                }
            }
            List<StepAdvantages> expected = grpo(0.9, true).advantages(alone);
            List<StepAdvantages> actual = grpo(0.9, true).advantages(mixed);
            for (int i = 0; i < alone.size(); i++) {
                assertArrayEquals(expected.get(i).advantages(), actual.get(positionsOfAlone.get(i)).advantages(), 0);
            }
        });
    }

    @Test
    void potentialShapingTurnsDrGrpoIntoMonteCarloAdvantageMinusAGroupConstant() {
        // Episodes sharing s_0, terminal ends, Phi(terminal) = 0: r'_t = r_t + gamma Phi(s_{t+1}) - Phi(s_t).
        qt().withExamples(200).forAll(denseGroup(), doubles().between(-2, 2),
                lists().of(doubles().between(-2, 2)).ofSize(6)).checkAssert((group, phi0, phis) -> {
            double gamma = 0.9;
            List<EpisodeRewards> shaped = new ArrayList<>();
            List<double[]> monteCarloAdvantages = new ArrayList<>();
            for (double[] rewards : group) {
                int length = rewards.length;
                double[] phi = new double[length + 1];
                phi[0] = phi0;
                for (int t = 1; t < length; t++) {
                    phi[t] = phis.get(t);
                }
                double[] shapedRewards = new double[length];
                for (int t = 0; t < length; t++) {
                    shapedRewards[t] = rewards[t] + gamma * phi[t + 1] - phi[t];
                }
                shaped.add(episode("g", shapedRewards));
                double[] g = Episodes.returns(rewards, gamma);
                double[] mc = new double[length];
                for (int t = 0; t < length; t++) {
                    mc[t] = g[t] - phi[t];
                }
                monteCarloAdvantages.add(mc);
            }
            List<StepAdvantages> a = grpo(gamma, false).advantages(shaped);
            double constant = monteCarloAdvantages.get(0)[0] - a.get(0).advantages()[0];
            for (int i = 0; i < a.size(); i++) {
                for (int t = 0; t < a.get(i).advantages().length; t++) {
                    assertEquals(constant, monteCarloAdvantages.get(i)[t] - a.get(i).advantages()[t], 1e-9);
                }
            }
        });
    }

    @Test
    void aSingleEpisodeOrEqualReturnsGiveZeroAtTheEpisodeLevel() {
        assertArrayEquals(new double[] {0, 0}, grpo(1, true).advantages(
                List.of(Episodes.sparse("t", 1, 2))).get(0).advantages(), 0);
        List<StepAdvantages> equal = grpo(1, true).advantages(List.of(
                Episodes.sparse("t", 1, 2), Episodes.sparse("t", 1, 4)));
        assertArrayEquals(new double[] {0, 0, 0, 0}, equal.get(1).advantages(), 0);
    }

    @Test
    void anEpisodeWithoutStepsCountsAsReturnZero() {
        List<StepAdvantages> a = grpo(1, false).advantages(List.of(
                Episodes.sparse("t", 1, 1), episode("t")));
        assertArrayEquals(new double[] {0.5}, a.get(0).advantages(), 1e-12);
        assertEquals(0, a.get(1).advantages().length);
    }

    @Test
    void nonFiniteRewardsAreRejectedNamingTheGroup() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> grpo(1, true).advantages(List.of(episode("task-7", 0, Double.NaN))));
        assertTrue(e.getMessage().contains("task-7"), e.getMessage());
    }

    @Test
    void configurationIsCheckedWithTheKeyAndItsRange() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginConfig.of("algo", Map.of("eps_low", 1.5)).bind(GrpoConfig.class));
        assertTrue(e.getMessage().contains("algo.eps_low: must be in [0.0, 1.0), got 1.5"), e.getMessage());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> PluginConfig.of("algo", Map.of("clip", 0.1)).bind(GrpoConfig.class));
        assertEquals("algo.clip", unknown.path());
        GrpoConfig drGrpo = PluginConfig.of("algo", Map.of("scale_by_std", "false", "eps_high", "0.28",
                "aggregation", "seq-mean-token-mean")).bind(GrpoConfig.class);
        assertEquals(new GrpoConfig(0.2, 0.28, 0.04, 1.0, false, Aggregation.SEQ_MEAN_TOKEN_MEAN), drGrpo);
    }

    @Test
    void usesTheReferenceOnlyWithAPositiveBeta() {
        assertTrue(grpo(1, true).usesReference());
        assertTrue(!new GrpoOptimizer(new GrpoConfig(0.2, 0.2, 0, 1, true, Aggregation.TOKEN_MEAN)).usesReference());
        assertTrue(!grpo(1, true).usesCritic());
    }

    private static double[] firstStepAdvantages(List<StepAdvantages> advantages) {
        return advantages.stream().mapToDouble(a -> a.advantages()[0]).toArray();
    }
}

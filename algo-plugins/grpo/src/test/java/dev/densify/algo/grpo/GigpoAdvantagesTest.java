package dev.densify.algo.grpo;

import static dev.densify.algo.grpo.Episodes.withKeys;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.algo.Aggregation;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GigpoAdvantagesTest {

    private static GigpoOptimizer gigpo(double omega, boolean scaleByStd) {
        return new GigpoOptimizer(new GigpoConfig(0.2, 0.2, 0.04, 0.5, omega, scaleByStd, Aggregation.TOKEN_MEAN));
    }

    @Test
    void anchorStatesShareABaselineAcrossEpisodes() {
        // Both episodes start in A; episode 1 goes A -> B (success), episode 2 goes A -> C (failure).
        List<EpisodeRewards> batch = List.of(
                withKeys("t", new double[] {0, 1}, List.of("A", "B")),
                withKeys("t", new double[] {0, 0}, List.of("A", "C")));
        List<StepAdvantages> a = gigpo(1, false).advantages(batch);
        // Episode level: totals 1 and 0, centred: +0.5 and -0.5. Step returns with gamma 0.5: (0.5, 1) and (0, 0).
        // Step level: state A has returns 0.5 and 0 (mean 0.25); B and C are visited once.
        assertArrayEquals(new double[] {0.5 + 0.25, 0.5 + 0}, a.get(0).advantages(), 1e-12);
        assertArrayEquals(new double[] {-0.5 - 0.25, -0.5 + 0}, a.get(1).advantages(), 1e-12);
        assertArrayEquals(new double[] {0.5, 1}, a.get(0).returns(), 1e-12);
    }

    @Test
    void stepAdvantagesSumToZeroOverEachAnchorGroupAndVanishForSingletons() {
        qt().withExamples(200).forAll(Episodes.denseGroup(), lists().of(integers().between(0, 3)).ofSize(6))
                .checkAssert((group, stateIds) -> {
                    List<EpisodeRewards> batch = new ArrayList<>();
                    for (double[] rewards : group) {
                        List<String> keys = new ArrayList<>();
                        for (int t = 0; t < rewards.length; t++) {
                            keys.add("s" + stateIds.get(t));
                        }
                        batch.add(withKeys("g", rewards, keys));
                    }
                    List<StepAdvantages> withSteps = gigpo(1, true).advantages(batch);
                    List<StepAdvantages> episodeOnly = gigpo(0, true).advantages(batch);
                    Map<String, Double> sums = new HashMap<>();
                    Map<String, Integer> visits = new HashMap<>();
                    for (int i = 0; i < batch.size(); i++) {
                        for (int t = 0; t < batch.get(i).rewards().length; t++) {
                            String key = batch.get(i).stateKeys().get(t);
                            double step = withSteps.get(i).advantages()[t] - episodeOnly.get(i).advantages()[t];
                            sums.merge(key, step, Double::sum);
                            visits.merge(key, 1, Integer::sum);
                            if (visits.get(key) == 1 && countVisits(batch, key) == 1) {
                                assertEquals(0, step, 1e-12);
                            }
                        }
                    }
                    sums.values().forEach(s -> assertEquals(0, s, 1e-9));
                });
    }

    @Test
    void theEpisodeLevelIsGrpoOverUndiscountedTotals() {
        qt().withExamples(200).forAll(Episodes.denseGroup()).checkAssert(group -> {
            List<EpisodeRewards> batch = Episodes.denseGroup("g", group);
            List<StepAdvantages> a = gigpo(0, true).advantages(batch);
            double[] totals = group.stream().mapToDouble(Episodes::sum).toArray();
            double mean = Episodes.mean(totals);
            double std = Episodes.populationStd(totals);
            for (int i = 0; i < batch.size(); i++) {
                for (double step : a.get(i).advantages()) {
                    assertEquals((totals[i] - mean) / (std + 1e-6), step, 1e-9);
                }
            }
        });
    }

    private static long countVisits(List<EpisodeRewards> batch, String key) {
        return batch.stream().flatMap(e -> e.stateKeys().stream()).filter(key::equals).count();
    }
}

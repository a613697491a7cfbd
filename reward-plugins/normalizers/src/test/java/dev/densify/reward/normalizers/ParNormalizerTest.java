package dev.densify.reward.normalizers;

import static dev.densify.reward.normalizers.RewardBatches.batches;
import static dev.densify.reward.normalizers.RewardBatches.outputsByGroup;
import static dev.densify.reward.normalizers.RewardBatches.pooled;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import dev.densify.api.reward.GroupedRewards;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ParNormalizerTest {

    private static List<double[]> par(boolean center, List<GroupedRewards> batch) {
        return new ParNormalizer(new ParNormalizerConfig(center)).normalize(batch);
    }

    @Test
    @DisplayName("rewards land in (0, 1), keep their order within the group, and average exactly 1/2 per group")
    void boundedOrderedAndCentredPerGroup() {
        qt().forAll(batches(0, 10)).checkAssert(batch -> {
            Map<String, List<double[]>> in = outputsByGroup(batch, batch.stream().map(GroupedRewards::rewards).toList());
            Map<String, List<double[]>> out = outputsByGroup(batch, par(false, batch));
            in.forEach((group, episodes) -> {
                double[] raw = pooled(episodes);
                double[] preferences = pooled(out.get(group));
                if (raw.length == 0) {
                    return;
                }
                assertEquals(0.5, RewardBatches.mean(preferences), 1e-12, "group mean of " + group);
                for (int i = 0; i < raw.length; i++) {
                    assertTrue(preferences[i] > 0 && preferences[i] < 1, preferences[i] + " outside (0, 1)");
                    for (int j = 0; j < raw.length; j++) {
                        if (raw[i] - raw[j] > 1e-6) {
                            assertTrue(preferences[i] > preferences[j], "order of " + raw[i] + " and " + raw[j]);
                        }
                    }
                }
            });
        });
    }

    @Test
    @DisplayName("shifting every reward of a group by the same amount changes nothing")
    void shiftInvariantPerGroup() {
        qt().forAll(batches(0, 10), doubles().between(-50, 50)).checkAssert((batch, shift) -> {
            List<GroupedRewards> shifted = batch.stream().map(e -> new GroupedRewards(e.groupId(),
                    java.util.Arrays.stream(e.rewards()).map(r -> r + shift).toArray())).toList();
            List<double[]> expected = par(false, batch);
            List<double[]> actual = par(false, shifted);
            for (int i = 0; i < batch.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), 1e-9);
            }
        });
    }

    @Test
    @DisplayName("centring subtracts exactly 1/2")
    void centringSubtractsOneHalf() {
        qt().forAll(batches(0, 10)).checkAssert(batch -> {
            List<double[]> raw = par(false, batch);
            List<double[]> centred = par(true, batch);
            for (int i = 0; i < batch.size(); i++) {
                for (int t = 0; t < raw.get(i).length; t++) {
                    assertEquals(raw.get(i)[t] - 0.5, centred.get(i)[t], 1e-15);
                }
            }
        });
    }

    @Test
    @DisplayName("a worked example: two steps in one group, one alone")
    void workedExample() {
        List<double[]> out = par(false, List.of(new GroupedRewards("g", new double[] {0, 1}),
                new GroupedRewards("lone", new double[] {7})));
        double s = 1 / (1 + Math.exp(-1));
        assertArrayEquals(new double[] {(0.5 + (1 - s)) / 2, (s + 0.5) / 2}, out.get(0), 1e-15);
        assertArrayEquals(new double[] {0.5}, out.get(1), 0);
    }
}

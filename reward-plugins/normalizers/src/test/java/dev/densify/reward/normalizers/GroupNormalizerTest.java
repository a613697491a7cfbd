package dev.densify.reward.normalizers;

import static dev.densify.reward.normalizers.RewardBatches.batches;
import static dev.densify.reward.normalizers.RewardBatches.mean;
import static dev.densify.reward.normalizers.RewardBatches.outputsByGroup;
import static dev.densify.reward.normalizers.RewardBatches.pooled;
import static dev.densify.reward.normalizers.RewardBatches.std;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;

import dev.densify.api.reward.GroupedRewards;
import dev.densify.reward.normalizers.GroupNormalizerConfig.Over;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GroupNormalizerTest {
    private static final double TOLERANCE = 1e-9;

    private static List<double[]> normalise(Over over, List<GroupedRewards> batch) {
        return new GroupNormalizer(new GroupNormalizerConfig(over, 1e-8)).normalize(batch);
    }

    private static double[] returns(List<double[]> episodes) {
        return episodes.stream().filter(e -> e.length > 0).mapToDouble(e -> Arrays.stream(e).sum()).toArray();
    }

    @Test
    @DisplayName("over returns: each group's episode returns have mean 0 and std 1 when their std > 0")
    void returnsAreZScoredPerGroup() {
        qt().forAll(batches(1, 10)).checkAssert(batch -> {
            Map<String, List<double[]>> in = outputsByGroup(batch, batch.stream().map(GroupedRewards::rewards).toList());
            Map<String, List<double[]>> out = outputsByGroup(batch, normalise(Over.RETURNS, batch));
            in.forEach((group, episodes) -> {
                double[] original = returns(episodes);
                double[] normalised = returns(out.get(group));
                assertEquals(0, mean(normalised), TOLERANCE, "mean return of " + group);
                if (std(original) > 1e-6) {
                    assertEquals(1, std(normalised), 1e-6, "std of returns of " + group);
                } else {
                    assertArrayEquals(new double[original.length], normalised, 1e-6, "centred only: " + group);
                }
                for (int i = 0; i < original.length; i++) {
                    for (int j = 0; j < original.length; j++) {
                        if (original[i] - original[j] > 1e-6) {
                            assertEquals(true, normalised[i] > normalised[j], "ranking kept in " + group);
                        }
                    }
                }
            });
        });
    }

    @Test
    @DisplayName("over returns: steps before the last keep their relative sizes (one common positive scale)")
    void returnsModeScalesStepsUniformly() {
        qt().forAll(batches(2, 10)).checkAssert(batch -> {
            List<double[]> out = normalise(Over.RETURNS, batch);
            Map<String, List<double[]>> in = outputsByGroup(batch, batch.stream().map(GroupedRewards::rewards).toList());
            Map<String, List<double[]>> byGroup = outputsByGroup(batch, out);
            in.forEach((group, episodes) -> {
                double std = std(returns(episodes));
                double scale = std > 1e-8 ? std : 1;
                for (int i = 0; i < episodes.size(); i++) {
                    double[] r = episodes.get(i);
                    double[] n = byGroup.get(group).get(i);
                    for (int t = 0; t + 1 < r.length; t++) {
                        assertEquals(r[t] / scale, n[t], TOLERANCE * (1 + Math.abs(r[t] / scale)), "step " + t);
                    }
                }
            });
        });
    }

    @Test
    @DisplayName("over steps: each group's pooled step rewards have mean 0 and std 1 when their std > 0")
    void stepsAreZScoredPerGroup() {
        qt().forAll(batches(0, 10)).checkAssert(batch -> {
            Map<String, List<double[]>> in = outputsByGroup(batch, batch.stream().map(GroupedRewards::rewards).toList());
            Map<String, List<double[]>> out = outputsByGroup(batch, normalise(Over.STEPS, batch));
            in.forEach((group, episodes) -> {
                double[] original = pooled(episodes);
                double[] normalised = pooled(out.get(group));
                if (original.length == 0) {
                    return;
                }
                assertEquals(0, mean(normalised), TOLERANCE, "mean step reward of " + group);
                assertEquals(std(original) > 1e-6 ? 1 : 0, std(normalised), 1e-6, "std of step rewards of " + group);
            });
        });
    }

    @Test
    @DisplayName("a group is normalised on its own: other groups in the batch change nothing")
    void groupsAreIndependent() {
        qt().forAll(batches(0, 10)).checkAssert(batch -> {
            for (Over over : Over.values()) {
                List<double[]> together = normalise(over, batch);
                for (int i = 0; i < batch.size(); i++) {
                    String group = batch.get(i).groupId();
                    List<GroupedRewards> alone = batch.stream().filter(e -> e.groupId().equals(group)).toList();
                    int position = alone.indexOf(batch.get(i));
                    assertArrayEquals(normalise(over, alone).get(position), together.get(i), 0, over + " episode " + i);
                }
            }
        });
    }

    @Test
    @DisplayName("a group of equal returns is only centred; a lone episode's return becomes 0")
    void zeroSpreadIsCentredOnly() {
        List<GroupedRewards> batch = List.of(
                new GroupedRewards("g", new double[] {0.5, 0.5}),
                new GroupedRewards("g", new double[] {0.25, 0.75}),
                new GroupedRewards("lone", new double[] {2, 3}));
        List<double[]> out = normalise(Over.RETURNS, batch);
        assertArrayEquals(new double[] {0.5, -0.5}, out.get(0), TOLERANCE);
        assertArrayEquals(new double[] {0.25, -0.25}, out.get(1), TOLERANCE);
        assertArrayEquals(new double[] {2, -2}, out.get(2), TOLERANCE);
        assertArrayEquals(new double[] {-1, 1}, normalise(Over.STEPS,
                List.of(new GroupedRewards("g", new double[] {1, 2}))).get(0), TOLERANCE);
    }
}

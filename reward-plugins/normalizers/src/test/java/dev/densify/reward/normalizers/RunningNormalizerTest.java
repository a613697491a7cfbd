package dev.densify.reward.normalizers;

import static dev.densify.reward.normalizers.RewardBatches.batches;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.reward.GroupedRewards;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RunningNormalizerTest {

    private static RunningNormalizer normalizer(double clip, boolean center) {
        return new RunningNormalizer(new RunningNormalizerConfig(1e-8, clip, center));
    }

    private static double[] all(List<List<GroupedRewards>> batches) {
        return batches.stream().flatMap(List::stream).flatMapToDouble(e -> Arrays.stream(e.rewards())).toArray();
    }

    @Test
    @DisplayName("the running statistics equal the mean and population variance of every step reward seen")
    void statisticsCoverEverythingSeen() {
        qt().forAll(lists().of(batches(0, 8)).ofSizeBetween(1, 5)).checkAssert(batches -> {
            RunningNormalizer normalizer = normalizer(0, true);
            List<List<GroupedRewards>> seen = new ArrayList<>();
            for (List<GroupedRewards> batch : batches) {
                List<double[]> out = normalizer.normalize(batch);
                seen.add(batch);
                double[] rewards = all(seen);
                assertEquals(rewards.length, normalizer.count());
                if (rewards.length == 0) {
                    continue;
                }
                double mean = RewardBatches.mean(rewards);
                double variance = Math.pow(RewardBatches.std(rewards), 2);
                assertEquals(mean, normalizer.mean(), 1e-9, "running mean");
                assertEquals(variance, normalizer.variance(), 1e-7, "running variance");
                double scale = Math.sqrt(variance + 1e-8);
                for (int i = 0; i < batch.size(); i++) {
                    for (int t = 0; t < batch.get(i).rewards().length; t++) {
                        double expected = (batch.get(i).rewards()[t] - mean) / scale;
                        assertEquals(expected, out.get(i)[t], 1e-6 * (1 + Math.abs(expected)), "normalised reward");
                    }
                }
            }
        });
    }

    @Test
    @DisplayName("a restored normaliser continues identically to the one whose state it restored")
    void stateRoundTripContinuesIdentically() {
        qt().forAll(lists().of(batches(0, 8)).ofSizeBetween(0, 4), lists().of(batches(0, 8)).ofSizeBetween(1, 4),
                doubles().between(0, 5)).checkAssert((before, after, clip) -> {
                    RunningNormalizer original = normalizer(clip, false);
                    before.forEach(original::normalize);
                    RunningNormalizer restored = normalizer(clip, false);
                    restored.restoreState(original.saveState());
                    assertArrayEquals(original.saveState(), restored.saveState());
                    for (List<GroupedRewards> batch : after) {
                        List<double[]> expected = original.normalize(batch);
                        List<double[]> actual = restored.normalize(batch);
                        for (int i = 0; i < batch.size(); i++) {
                            assertArrayEquals(expected.get(i), actual.get(i), 0, "episode " + i);
                        }
                    }
                    assertArrayEquals(original.saveState(), restored.saveState());
                });
    }

    @Test
    @DisplayName("with clip > 0 every normalised reward lies in [-clip, clip]")
    void clipBoundsTheOutput() {
        qt().forAll(batches(0, 8), doubles().between(0.01, 3), doubles().between(-5, 5)).checkAssert((batch, clip, outlier) -> {
            RunningNormalizer normalizer = normalizer(clip, false);
            List<GroupedRewards> withOutlier = new ArrayList<>(batch);
            withOutlier.add(new GroupedRewards("x", new double[] {outlier * 1e6}));
            for (double[] rewards : normalizer.normalize(withOutlier)) {
                for (double r : rewards) {
                    assertTrue(Math.abs(r) <= clip, r + " outside [-" + clip + ", " + clip + "]");
                }
            }
        });
    }

    @Test
    @DisplayName("without centring the sign of every reward is kept (scaling only)")
    void uncentredScalingKeepsSigns() {
        qt().forAll(batches(0, 8)).checkAssert(batch -> {
            List<double[]> out = normalizer(0, false).normalize(batch);
            for (int i = 0; i < batch.size(); i++) {
                for (int t = 0; t < out.get(i).length; t++) {
                    assertEquals(Math.signum(batch.get(i).rewards()[t]), Math.signum(out.get(i)[t]));
                }
            }
        });
    }

    @Test
    @DisplayName("a non-finite reward is rejected before the state changes")
    void nonFiniteRewardsLeaveTheStateAlone() {
        RunningNormalizer normalizer = normalizer(0, false);
        normalizer.normalize(List.of(new GroupedRewards("g", new double[] {1, 2, 3})));
        byte[] state = normalizer.saveState();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> normalizer.normalize(
                List.of(new GroupedRewards("g", new double[] {4}), new GroupedRewards("h", new double[] {5, Double.NaN}))));
        assertTrue(error.getMessage().contains("reward 1 of episode 1 (group h)"), error.getMessage());
        assertArrayEquals(state, normalizer.saveState());
    }

    @Test
    @DisplayName("a state from something else is rejected with what was expected")
    void foreignStateIsRejected() {
        RunningNormalizer normalizer = normalizer(0, false);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> normalizer.restoreState(new byte[] {1, 2, 3}));
        assertTrue(error.getMessage().contains("not a running normaliser state"), error.getMessage());
        assertEquals(0, normalizer.count());
    }
}

package dev.densify.reward.shapers;

import static dev.densify.reward.shapers.Episodes.TOLERANCE;
import static dev.densify.reward.shapers.Episodes.discountedReturn;
import static dev.densify.reward.shapers.Episodes.episodes;
import static dev.densify.reward.shapers.Episodes.sum;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.densify.api.env.Outcome;
import dev.densify.api.reward.ShapingInput;
import dev.densify.reward.shapers.ClipDeltaShaperConfig.Mode;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class ClipDeltaShaperTest {
    private static final Gen<Double> ETAS = doubles().between(-5, 5);

    private static double[] shape(Mode mode, double eta, ShapingInput e) {
        return new ClipDeltaShaper(new ClipDeltaShaperConfig(mode, eta)).shape(e);
    }

    private static ShapingInput extended(ShapingInput e, double[] extra) {
        double[] rewards = new double[e.length() + extra.length];
        System.arraycopy(e.stepRewards(), 0, rewards, 0, e.length());
        System.arraycopy(extra, 0, rewards, e.length(), extra.length);
        return new ShapingInput(rewards, e.outcome(), new double[rewards.length + 1], e.terminated());
    }

    private static double[] suffixSums(double[] xs) {
        double[] sums = new double[xs.length];
        double running = 0;
        for (int t = xs.length - 1; t >= 0; t--) {
            running += xs[t];
            sums[t] = running;
        }
        return sums;
    }

    @Test
    @DisplayName("clip: r_t becomes min(r_t - eta, 0), never positive")
    void clipIsMinOfShiftedRewardAndZero() {
        qt().forAll(episodes(0, 20), ETAS).checkAssert((e, eta) -> {
            double[] clipped = shape(Mode.CLIP, eta, e);
            for (int t = 0; t < e.length(); t++) {
                assertEquals(Math.min(e.stepRewards()[t] - eta, 0), clipped[t], 0, "r^clip_" + t);
                assertTrue(clipped[t] <= 0, "r^clip_" + t + " is not positive");
            }
        });
    }

    @Test
    @DisplayName("clip: extra steps never raise the (discounted) return")
    void clipNeverRewardsExtraSteps() {
        qt().forAll(episodes(0, 12), integers().between(1, 8).flatMap(n -> Episodes.arrays(n, 10)), ETAS, doubles().between(0, 1))
                .checkAssert((e, extra, eta, gamma) -> {
                    double shorter = discountedReturn(shape(Mode.CLIP, eta, e), gamma);
                    double longer = discountedReturn(shape(Mode.CLIP, eta, extended(e, extra)), gamma);
                    assertTrue(longer <= shorter + TOLERANCE, "longer " + longer + " > shorter " + shorter);
                });
    }

    @Test
    @DisplayName("delta: the return from step t is r_t - r_{T-1}; the last step gets 0")
    void deltaTelescopes() {
        qt().forAll(episodes(1, 20)).checkAssert(e -> {
            double[] r = e.stepRewards();
            double[] delta = shape(Mode.DELTA, 0, e);
            assertEquals(0, delta[e.length() - 1], 0, "last step");
            double[] fromStep = suffixSums(delta);
            for (int t = 0; t < e.length(); t++) {
                assertEquals(r[t] - r[e.length() - 1], fromStep[t], TOLERANCE * 100, "return from step " + t);
            }
            assertEquals(r[0] - r[e.length() - 1], sum(delta), TOLERANCE * 100, "sum r^delta = r_0 - r_{T-1}");
        });
    }

    @Test
    @DisplayName("delta: the return is bounded by twice the largest |r_t| whatever the length")
    void deltaIsBounded() {
        qt().forAll(episodes(0, 20)).checkAssert(e -> {
            double bound = 2 * Arrays.stream(e.stepRewards()).map(Math::abs).max().orElse(0);
            for (double g : suffixSums(shape(Mode.DELTA, 0, e))) {
                assertTrue(Math.abs(g) <= bound + TOLERANCE, g + " exceeds " + bound);
            }
        });
    }

    @Test
    @DisplayName("clip-delta: delta applied to the clipped rewards; its return is c_0 - c_{T-1} plus the outcome")
    void clipDeltaIsDeltaOfClip() {
        qt().forAll(episodes(1, 20), ETAS).checkAssert((e, eta) -> {
            double[] clipped = shape(Mode.CLIP, eta, e);
            double[] both = shape(Mode.CLIP_DELTA, eta, e);
            ShapingInput clippedEpisode = new ShapingInput(clipped, e.outcome(), e.values(), e.terminated());
            assertArrayEquals(shape(Mode.DELTA, 0, clippedEpisode), both, 0);
            double withOutcome = sum(Episodes.withOutcome(both, e.outcome().reward()));
            assertEquals(clipped[0] - clipped[e.length() - 1] + e.outcome().reward(), withOutcome, TOLERANCE * 100);
        });
    }

    @Test
    @DisplayName("an example from the definitions")
    void workedExample() {
        ShapingInput e = new ShapingInput(new double[] {0.9, 0.4, 0.7}, new Outcome(1, true), new double[4], true);
        assertArrayEquals(new double[] {-0.1, -0.6, -0.3}, shape(Mode.CLIP, 1.0, e), 1e-12);
        assertArrayEquals(new double[] {0.5, -0.3, 0}, shape(Mode.DELTA, 1.0, e), 1e-12);
        assertArrayEquals(new double[] {0.5, -0.3, 0}, shape(Mode.CLIP_DELTA, 1.0, e), 1e-12);
        assertArrayEquals(new double[] {0.1, -0.1, 0}, shape(Mode.CLIP_DELTA, 0.5, e), 1e-12);
    }
}

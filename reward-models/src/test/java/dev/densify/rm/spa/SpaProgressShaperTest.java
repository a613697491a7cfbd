package dev.densify.rm.spa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.densify.api.env.Outcome;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.model.tokenizer.Tokenizer;
import dev.densify.rm.MadeShapers;
import dev.densify.rm.ShaperEpisodes;
import dev.densify.rm.ShaperEpisodes.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.quicktheories.core.Gen;

class SpaProgressShaperTest {
    private static final Tokenizer BYTES = new ByteTokenizer();
    private static final String PICK = "pick up the coin";
    private static final String WAIT = "wait";
    private static final String FLY = "fly away";
    @RegisterExtension
    final MadeShapers<SpaProgressShaper> shapers = new MadeShapers<>(new SpaProgressShaperProvider(),
            SpaProgressShaper.class, Map.of("lr", 0.01));

    private SpaProgressShaper shaper(Map<String, Object> overrides) {
        return shapers.make(overrides);
    }

    private SpaProgressShaper shaper() {
        return shaper(Map.of());
    }

    /**
     * The planted progress: each step that picks up a coin adds 0.25 to the outcome, waiting adds nothing, and flying
     * is an invalid action that adds nothing either; rooms are drawn at random.
     */
    private static List<ShapingInput> planted(long seed, int count) {
        Random random = new Random(seed);
        List<ShapingInput> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            List<Turn> turns = new ArrayList<>();
            double outcome = 0;
            for (int t = 1 + random.nextInt(4); t > 0; t--) {
                String action = List.of(PICK, WAIT, FLY).get(random.nextInt(3));
                outcome += action.equals(PICK) ? 0.25 : 0;
                turns.add(new Turn("room " + random.nextInt(1000) + " with a coin", action, action.equals(FLY)));
            }
            out.add(ShaperEpisodes.episode(BYTES, turns, outcome));
        }
        return out;
    }

    private static double sum(double[] xs) {
        return Arrays.stream(xs).sum();
    }

    /** Mean of (sum_t c_t - R)^2 over the episodes. */
    private static double squaredError(SpaProgressShaper shaper, List<ShapingInput> episodes) {
        return episodes.stream().mapToDouble(e -> Math.pow(sum(shaper.contributions(e)) - e.outcome().reward(), 2))
                .average().orElseThrow();
    }

    @Test
    void beforeTheFirstFitEachStepEarnsTheGroundingBonusAloneForAValidAction() {
        ShapingInput episode = ShaperEpisodes.episode(BYTES, List.of(new Turn("a", PICK, false),
                new Turn("b", FLY, true), new Turn("c", WAIT, false)), 0.25);
        ShapingInput withRewards = new ShapingInput(new double[] {1, 2, 3}, episode.outcome(), episode.values(), true,
                episode.steps());
        assertArrayEquals(new double[] {1.5, 2, 3.5}, shaper().shape(withRewards), 0);
        assertArrayEquals(new double[] {1, 2, 3}, shaper(Map.of("grounding_bonus", 0)).shape(withRewards), 0);
        assertArrayEquals(new double[] {1.75, 2, 3.75}, shaper(Map.of("grounding_bonus", 0.75)).shape(withRewards), 0);
    }

    @Test
    void theGroundingBonusNeedsSignalsAndTheEstimatorNeedsSteps() {
        Step s = ShaperEpisodes.step(BYTES, new Turn("a", PICK, false), true);
        Step silent = new Step(s.observation(), s.stateKey(), s.rendered(), s.promptTokenIds(), s.action(),
                s.actionTokenIds(), s.actionLogProbs(), 0, true, Map.of());
        ShapingInput episode = new ShapingInput(new double[1], new Outcome(1, true), new double[2], true,
                List.of(silent));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shaper().shape(episode));
        assertTrue(e.getMessage().contains("shaper.grounding_bonus=0"), e.getMessage());
        assertArrayEquals(new double[1], shaper(Map.of("grounding_bonus", 0)).shape(episode), 0);
        ShapingInput bare = new ShapingInput(new double[2], new Outcome(1, true), new double[3], true);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> shaper().fit(List.of(bare), 1)).getMessage()
                .contains("without its steps"));
        assertEquals(LearnedShaper.Fit.none(), shaper().fit(List.of(), 1));
    }

    @Test
    void afterFittingTheContributionsOfHeldOutEpisodesSumToTheirOutcome() {
        SpaProgressShaper shaper = shaper();
        List<ShapingInput> heldOut = planted(999, 64);
        double before = squaredError(shaper, heldOut);
        double variance = heldOut.stream().mapToDouble(e -> e.outcome().reward()).map(r -> r * r).average()
                .orElseThrow() - Math.pow(heldOut.stream().mapToDouble(e -> e.outcome().reward()).average()
                .orElseThrow(), 2);
        List<Double> losses = new ArrayList<>();
        for (int iteration = 0; iteration < 12; iteration++) {
            losses.add(shaper.fit(planted(iteration, 32), iteration).loss());
        }
        double after = squaredError(shaper, heldOut);
        assertTrue(after < 0.1 * variance, "held-out MSE(sum c, R) " + after + " against Var(R) " + variance
                + " (before fitting " + before + ")");
        assertTrue(losses.get(11) < losses.get(0), "progressive losses " + losses);
        // and each step is credited with its own part of the outcome
        for (ShapingInput e : heldOut) {
            double[] c = shaper.contributions(e);
            for (int t = 0; t < c.length; t++) {
                double planted = e.steps().get(t).action().equals(PICK) ? 0.25 : 0;
                assertEquals(planted, c[t], 0.1, e.steps().get(t).action() + " at step " + t);
            }
        }
    }

    private static final Gen<List<ShapingInput>> RANDOM_BATCHES = in -> {
        Random random = new Random(integers().all().generate(in));
        List<ShapingInput> batch = new ArrayList<>();
        for (int e = integers().between(1, 6).generate(in); e > 0; e--) {
            List<Turn> turns = new ArrayList<>();
            for (int t = random.nextInt(6); t > 0; t--) {
                turns.add(new Turn(random.nextInt(3) == 0 ? "" : "room " + random.nextInt(),
                        random.nextInt(3) == 0 ? "" : "act " + random.nextInt(9), random.nextBoolean()));
            }
            batch.add(ShaperEpisodes.episode(BYTES, turns, random.nextGaussian() * 5));
        }
        return batch;
    };

    @Test
    void afterFitsEveryStepGetsOneFiniteRewardAndTheInputIsLeftAlone() {
        SpaProgressShaper shaper = shaper();
        qt().withExamples(100).withFixedSeed(13).forAll(RANDOM_BATCHES).checkAssert(batch -> {
            LearnedShaper.Fit fit = shaper.fit(batch, 3);
            assertTrue(fit.episodes() == 0 || Double.isFinite(fit.loss()), "fit " + fit);
            for (ShapingInput e : batch) {
                double[] before = e.stepRewards().clone();
                double[] shaped = shaper.shape(e);
                assertEquals(e.length(), shaped.length);
                assertTrue(Arrays.stream(shaped).allMatch(Double::isFinite), Arrays.toString(shaped));
                assertArrayEquals(before, e.stepRewards(), 0);
            }
        });
    }

    @Test
    void theSameFitsWithTheSameSeedsGiveTheSameShaperBitForBit() {
        SpaProgressShaper a = shaper();
        SpaProgressShaper b = shaper();
        for (int i = 0; i < 3; i++) {
            List<ShapingInput> batch = planted(20 + i, 16);
            assertEquals(a.fit(batch, i), b.fit(batch, i));
        }
        assertArrayEquals(a.saveState(), b.saveState());
        for (ShapingInput e : planted(30, 8)) {
            assertArrayEquals(a.shape(e), b.shape(e), 0);
        }
    }

    @Test
    void aRestoredShaperShapesAndGoesOnFittingExactlyAsTheSavedOne() {
        SpaProgressShaper saved = shaper();
        saved.fit(planted(40, 16), 1);
        SpaProgressShaper restored = shaper();
        restored.restoreState(saved.saveState());
        List<ShapingInput> heldOut = planted(41, 8);
        for (ShapingInput e : heldOut) {
            assertArrayEquals(saved.shape(e), restored.shape(e), 0);
        }
        List<ShapingInput> next = planted(42, 16);
        assertEquals(saved.fit(next, 2), restored.fit(next, 2));
        assertArrayEquals(saved.saveState(), restored.saveState(), "the optimizer's moments came along");
        // an unfitted state takes the estimator back to contributing nothing
        restored.restoreState(shaper().saveState());
        assertArrayEquals(new double[heldOut.get(0).length()], restored.contributions(heldOut.get(0)), 0);
    }

    @Test
    void aStateOfAnotherConfigurationOrNoStateAtAllIsRefused() {
        SpaProgressShaper wide = shaper(Map.of("hidden", 8));
        wide.fit(planted(50, 4), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> shaper().restoreState(wide.saveState()));
        assertTrue(e.getMessage().contains("shaper.hidden"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> shaper().restoreState(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
    }
}

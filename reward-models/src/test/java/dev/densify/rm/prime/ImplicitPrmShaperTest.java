package dev.densify.rm.prime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.config.ConfigException;
import dev.densify.api.env.Outcome;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.io.TestModels;
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

class ImplicitPrmShaperTest {
    private static final Tokenizer BYTES = new ByteTokenizer();
    /** Micro-preset shapers that learn fast enough to see in a few fits. */
    @RegisterExtension
    final MadeShapers<ImplicitPrmShaper> shapers = new MadeShapers<>(new ImplicitPrmShaperProvider(),
            ImplicitPrmShaper.class, Map.of("model", "micro", "lr", 0.01, "batch_episodes", 4, "forward_batch", 8));

    private ImplicitPrmShaper shaper(Map<String, Object> overrides) {
        return shapers.make(overrides);
    }

    private ImplicitPrmShaper shaper() {
        return shaper(Map.of());
    }

    /**
     * Episodes in which success is decided by the actions: every step goes "east" in a success, "west" in a failure,
     * from rooms drawn at random (so held-out episodes see other prompts).
     */
    private static List<ShapingInput> planted(Tokenizer tokenizer, long seed, int count) {
        Random random = new Random(seed);
        List<ShapingInput> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean success = i % 2 == 0;
            List<Turn> turns = new ArrayList<>();
            for (int t = 1 + random.nextInt(3); t > 0; t--) {
                turns.add(new Turn("room " + random.nextInt(1000) + ", a lamp to the " + (random.nextBoolean()
                        ? "north" : "south"), success ? "east" : "west", false));
            }
            out.add(ShaperEpisodes.episode(tokenizer, turns, success ? 1 : 0));
        }
        return out;
    }

    /** beta * the episode's summed log-ratio: the outcome logit (the planted episodes' step rewards are 0). */
    private static double logit(LearnedShaper shaper, ShapingInput episode) {
        return Arrays.stream(shaper.shape(episode)).sum();
    }

    private static List<ShapingInput> withOutcome(List<ShapingInput> episodes, boolean success) {
        return episodes.stream().filter(e -> e.outcome().success() == success).toList();
    }

    @Test
    void beforeTheFirstFitPiPhiIsPiRefAndEveryImplicitRewardIsZero() {
        ImplicitPrmShaper shaper = shaper();
        ShapingInput episode = planted(BYTES, 1, 1).get(0);
        double[] incoming = {0.25, -1, 2};
        ShapingInput withRewards = new ShapingInput(Arrays.copyOf(incoming, episode.length()), episode.outcome(),
                episode.values(), true, episode.steps());
        assertArrayEquals(withRewards.stepRewards(), shaper.shape(withRewards), 0);
        assertFalse(shaper.fitted());
    }

    @Test
    void oneUpdateRaisesTheOutcomeLogitOfSuccessesAndLowersThatOfFailures() {
        // The BCE gradient's sign, through the model: (sigmoid(x) - y) < 0 for y = 1 pushes x up, > 0 for y = 0 down.
        List<ShapingInput> episodes = planted(BYTES, 2, 8);
        for (boolean success : new boolean[] {true, false}) {
            ImplicitPrmShaper shaper = shaper(Map.of("lr", 1e-3, "batch_episodes", 8));
            List<ShapingInput> batch = withOutcome(episodes, success);
            LearnedShaper.Fit fit = shaper.fit(batch, 7);
            assertEquals(new LearnedShaper.Fit(4, 1, Math.log(2)), fit, "one update from x = 0, loss log 2");
            for (ShapingInput e : batch) {
                double x = logit(shaper, e);
                assertTrue(success ? x > 0 : x < 0, (success ? "success" : "failure") + " logit after one update " + x);
            }
        }
    }

    @Test
    void itLearnsWhichActionsLeadToSuccessAndCreditsThemOnHeldOutEpisodes() {
        ImplicitPrmShaper shaper = shaper();
        List<Double> losses = new ArrayList<>();
        for (int iteration = 0; iteration < 4; iteration++) {
            losses.add(shaper.fit(planted(BYTES, 100 + iteration, 16), iteration).loss());
        }
        assertTrue(losses.get(3) < losses.get(0), "the progressive loss fell: " + losses);
        List<ShapingInput> heldOut = planted(BYTES, 999, 12);
        for (ShapingInput e : heldOut) {
            double[] rewards = shaper.shape(e);
            for (double r : rewards) {
                assertTrue(e.outcome().success() ? r > 0 : r < 0, "a held-out " + e.steps().get(0).action()
                        + " step earned " + r);
            }
        }
    }

    private static final Gen<List<ShapingInput>> RANDOM_BATCHES = in -> {
        Random random = new Random(integers().all().generate(in));
        List<ShapingInput> batch = new ArrayList<>();
        for (int e = integers().between(1, 4).generate(in); e > 0; e--) {
            List<Turn> turns = new ArrayList<>();
            for (int t = random.nextInt(5); t > 0; t--) {
                // empty and long texts too: a step without action tokens, a prompt beyond micro's 256-token context
                String observation = "x".repeat(random.nextInt(3) == 0 ? 300 : random.nextInt(20));
                String action = random.nextInt(4) == 0 ? "" : Integer.toString(random.nextInt(100_000));
                turns.add(new Turn(observation, action, random.nextBoolean()));
            }
            batch.add(ShaperEpisodes.episode(BYTES, turns, random.nextBoolean() ? 1 : 0));
        }
        return batch;
    };

    @Test
    void afterAFitEveryStepGetsOneFiniteRewardAndTheInputIsLeftAlone() {
        ImplicitPrmShaper shaper = shaper();
        shaper.fit(planted(BYTES, 3, 8), 3);
        qt().withExamples(15).withFixedSeed(11).forAll(RANDOM_BATCHES).checkAssert(batch -> {
            LearnedShaper.Fit fit = shaper.fit(batch, 5);
            assertTrue(fit.episodes() == 0 || Double.isFinite(fit.loss()), "fit " + fit);
            for (ShapingInput e : batch) {
                double[] before = e.stepRewards().clone();
                double[] shaped = shaper.shape(e);
                assertEquals(e.length(), shaped.length);
                assertTrue(Arrays.stream(shaped).allMatch(Double::isFinite), Arrays.toString(shaped));
                assertArrayEquals(before, e.stepRewards(), 0);
                for (int t = 0; t < e.length(); t++) {
                    if (e.steps().get(t).actionTokenIds().length == 0) {
                        assertEquals(0, shaped[t], 0, "a step without action tokens has no log-ratio");
                    }
                }
            }
        });
    }

    @Test
    void theSameFitsWithTheSameSeedsGiveTheSameShaperBitForBit() {
        ImplicitPrmShaper a = shaper();
        ImplicitPrmShaper b = shaper();
        for (int i = 0; i < 2; i++) {
            List<ShapingInput> batch = planted(BYTES, 20 + i, 8);
            assertEquals(a.fit(batch, i), b.fit(batch, i));
        }
        assertArrayEquals(a.saveState(), b.saveState());
        for (ShapingInput e : planted(BYTES, 30, 4)) {
            assertArrayEquals(a.shape(e), b.shape(e), 0);
        }
        ImplicitPrmShaper otherSeed = shaper();
        otherSeed.fit(planted(BYTES, 20, 8), 99);
        ShapingInput e = planted(BYTES, 30, 1).get(0);
        assertFalse(Arrays.equals(a.shape(e), otherSeed.shape(e)), "another seed, another model");
    }

    @Test
    void aRestoredShaperShapesAndGoesOnFittingExactlyAsTheSavedOne() {
        ImplicitPrmShaper saved = shaper();
        saved.fit(planted(BYTES, 40, 8), 1);
        ImplicitPrmShaper restored = shaper();
        restored.restoreState(saved.saveState());
        assertTrue(restored.fitted());
        List<ShapingInput> heldOut = planted(BYTES, 41, 4);
        for (ShapingInput e : heldOut) {
            assertArrayEquals(saved.shape(e), restored.shape(e), 0);
        }
        List<ShapingInput> next = planted(BYTES, 42, 8);
        assertEquals(saved.fit(next, 2), restored.fit(next, 2));
        assertArrayEquals(saved.saveState(), restored.saveState(), "the optimizer's moments came along");
        for (ShapingInput e : heldOut) {
            assertArrayEquals(saved.shape(e), restored.shape(e), 0);
        }
        // an unfitted state takes a fitted shaper back to pi_phi = pi_ref
        restored.restoreState(shaper().saveState());
        assertFalse(restored.fitted());
        assertArrayEquals(new double[heldOut.get(0).length()], restored.shape(heldOut.get(0)), 0);
    }

    @Test
    void aStateOfAnotherModelOrNoStateAtAllIsRefused() {
        ImplicitPrmShaper tiny = shaper(Map.of("model", "tiny"));
        tiny.fit(planted(BYTES, 50, 2), 1);
        IllegalArgumentException wrongModel = assertThrows(IllegalArgumentException.class,
                () -> shaper().restoreState(tiny.saveState()));
        assertTrue(wrongModel.getMessage().contains("shaper.model"), wrongModel.getMessage());
        IllegalArgumentException garbage = assertThrows(IllegalArgumentException.class,
                () -> shaper().restoreState(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertTrue(garbage.getMessage().contains("implicit-prm"), garbage.getMessage());
    }

    @Test
    void aTokenOutsideTheModelsVocabularyNamesTheKeyToFix() {
        ShapingInput episode = planted(BYTES, 60, 1).get(0);
        Step s = episode.steps().get(0);
        Step foreign = new Step(s.observation(), s.stateKey(), s.rendered(), s.promptTokenIds(), s.action(),
                new int[] {400}, new float[1], 0, true, s.info());
        ShapingInput bad = new ShapingInput(new double[1], new Outcome(1, true), new double[2], true, List.of(foreign));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> shaper().fit(List.of(bad), 1));
        assertTrue(e.getMessage().contains("token id 400") && e.getMessage().contains("shaper.model"),
                e.getMessage());
    }

    @Test
    void anEpisodeWithoutItsStepsIsRefused() {
        ShapingInput bare = new ShapingInput(new double[2], new Outcome(1, true), new double[3], true);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> shaper().fit(List.of(bare), 1)).getMessage()
                .contains("without its steps"));
        assertThrows(IllegalArgumentException.class, () -> shaper().shape(bare));
        assertEquals(LearnedShaper.Fit.none(), shaper().fit(List.of(), 1));
    }

    @Test
    void aRealCheckpointIsBothModelsStartingPoint() throws Exception {
        String checkpoint = TestModels.stories260K().resolve("stories260K.bin").toString();
        Tokenizer tokenizer = ModelFiles.read(TestModels.stories260K().resolve("stories260K.bin")).tokenizer()
                .orElseThrow();
        ImplicitPrmShaper shaper = shaper(Map.of("model", checkpoint, "lr", 1e-3, "batch_episodes", 8));
        List<ShapingInput> successes = withOutcome(planted(tokenizer, 70, 8), true);
        LearnedShaper.Fit fit = shaper.fit(successes, 1);
        assertEquals(1, fit.updates());
        for (ShapingInput e : successes) {
            assertTrue(logit(shaper, e) > 0, "a success's logit after one update: " + logit(shaper, e));
        }
    }

    @Test
    void badKeysAreRejectedNamingWhatIsAllowed() {
        ConfigException model = assertThrows(ConfigException.class,
                () -> shaper(Map.of("model", "/no/such/model.bin")));
        assertEquals("shaper.model", model.path());
        assertTrue(model.getMessage().contains("micro, small, tiny"), model.getMessage());
        assertEquals("shaper.model", assertThrows(ConfigException.class, () -> shaper(Map.of("model", " "))).path());
        assertEquals("shaper.beta", assertThrows(ConfigException.class, () -> shaper(Map.of("beta", 0))).path());
        assertEquals("shaper.forward_batch",
                assertThrows(ConfigException.class, () -> shaper(Map.of("forward_batch", 0))).path());
    }
}

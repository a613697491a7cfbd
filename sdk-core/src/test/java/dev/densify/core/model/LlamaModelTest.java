package dev.densify.core.model;

import static dev.densify.core.model.ModelFixtures.TOKENIZER;
import static dev.densify.core.model.ModelFixtures.constantModel;
import static dev.densify.core.model.ModelFixtures.randomModel;
import static dev.densify.core.model.ModelFixtures.randomTokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import ai.djl.ndarray.NDManager;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LlamaModelTest {
    private static final LlamaConfig MICRO = ModelPresets.preset("micro", ByteTokenizer.VOCAB_SIZE);
    private static final int A = ByteTokenizer.FIRST_BYTE + 'a';

    @Test
    void randomInitialisationDependsOnlyOnTheSeed() {
        try (LlamaModel a = LlamaModel.random(MICRO, TOKENIZER, 42);
             LlamaModel b = LlamaModel.random(MICRO, TOKENIZER, 42);
             LlamaModel c = LlamaModel.random(MICRO, TOKENIZER, 43)) {
            assertEquals(a.toWeights().tensors(), b.toWeights().tensors());
            assertNotEquals(a.toWeights().tensors(), c.toWeights().tensors());
        }
    }

    @Test
    void parameterCountIsTheSumOfAllTensorSizes() {
        try (LlamaModel model = LlamaModel.random(MICRO, TOKENIZER, 1)) {
            long expected = model.toWeights().tensors().values().stream().mapToLong(t -> t.data().length).sum();
            assertEquals(expected, model.parameterCount());
            // embedding 259x32, per layer 2x32 norms + q,o 32x32 + k,v 16x32 + 3 x 88x32, final norm 32
            assertEquals(259 * 32 + 2 * (64 + 2 * 1024 + 2 * 512 + 3 * 88 * 32) + 32, model.parameterCount());
        }
    }

    @Test
    void weightsRoundTripExactly() {
        qt().withExamples(6).forAll(longs().all()).checkAssert(seed -> {
            try (LlamaModel model = randomModel(seed);
                 LlamaModel copy = LlamaModel.fromWeights(model.toWeights(), TOKENIZER)) {
                assertEquals(model.toWeights().tensors(), copy.toWeights().tensors());
                int[] tokens = randomTokens(new SplittableRandom(seed), 5);
                assertArrayEquals(model.logits(tokens), copy.logits(tokens));
            }
        });
    }

    @Test
    void aMissingTensorIsNamedWithItsExpectedShape() {
        Map<String, WeightTensor> tensors = new HashMap<>(ModelFixtures.randomWeights(MICRO, 1, 0.1).tensors());
        String name = CanonicalNames.layer(1, CanonicalNames.K_PROJ);
        tensors.remove(name);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LlamaModel.fromWeights(new ModelWeights(MICRO, tensors, Optional.empty()), TOKENIZER));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("[16, 32]"), e.getMessage());
    }

    @Test
    void aMisshapenTensorIsNamedWithBothShapes() {
        Map<String, WeightTensor> tensors = new HashMap<>(ModelFixtures.randomWeights(MICRO, 1, 0.1).tensors());
        String name = CanonicalNames.layer(0, CanonicalNames.UP_PROJ);
        tensors.put(name, new WeightTensor(name, new long[] {32, 88}, new float[32 * 88]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LlamaModel.fromWeights(new ModelWeights(MICRO, tensors, Optional.empty()), TOKENIZER));
        assertTrue(e.getMessage().contains(name) && e.getMessage().contains("[32, 88]")
                && e.getMessage().contains("[88, 32]"), e.getMessage());
    }

    @Test
    void anUnexpectedTensorIsRejected() {
        Map<String, WeightTensor> tensors = new HashMap<>(ModelFixtures.randomWeights(MICRO, 1, 0.1).tensors());
        tensors.put(CanonicalNames.LM_HEAD, new WeightTensor(CanonicalNames.LM_HEAD, new long[] {259, 32},
                new float[259 * 32]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LlamaModel.fromWeights(new ModelWeights(MICRO, tensors, Optional.empty()), TOKENIZER));
        assertTrue(e.getMessage().contains(CanonicalNames.LM_HEAD), e.getMessage());
    }

    @Test
    void aTokenizerLargerThanTheVocabularyIsRejected() {
        LlamaConfig small = ModelPresets.preset("micro", 100);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LlamaModel.random(small, TOKENIZER, 1));
        assertTrue(e.getMessage().contains("259") && e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void restoreOverwritesParametersInPlace() {
        try (LlamaModel a = randomModel(5); LlamaModel b = LlamaModel.fromWeights(
                ModelFixtures.randomWeights(a.config(), 6, 0.3))) {
            int[] tokens = randomTokens(new SplittableRandom(1), 6);
            assertNotEquals(Arrays.deepToString(a.logits(tokens)), Arrays.deepToString(b.logits(tokens)));
            b.restore(a.toWeights());
            assertArrayEquals(a.logits(tokens), b.logits(tokens));
            String name = CanonicalNames.FINAL_NORM;
            ModelWeights wrong = new ModelWeights(a.config(), Map.of(name, new WeightTensor(name, new long[] {3},
                    new float[3])), Optional.empty());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> b.restore(wrong));
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
    }

    @Test
    void scoreGivesLogProbsOfTheNextTokensWithAPaddingMask() {
        try (LlamaModel model = randomModel(11); NDManager manager = NDManager.newBaseManager()) {
            SplittableRandom r = new SplittableRandom(3);
            List<int[]> sequences = List.of(randomTokens(r, 7), randomTokens(r, 3), randomTokens(r, 5));
            TokenScores scores = model.score(manager, sequences);
            assertArrayEquals(new long[] {3, 6}, scores.logProbs().getShape().getShape());
            assertArrayEquals(new long[] {3, 6}, scores.entropy().getShape().getShape());
            float[] logProbs = scores.logProbs().toFloatArray();
            float[] entropy = scores.entropy().toFloatArray();
            float[] mask = scores.mask().toFloatArray();
            double maxEntropy = Math.log(model.config().vocabSize());
            for (int b = 0; b < sequences.size(); b++) {
                int[] seq = sequences.get(b);
                float[][] logits = model.logits(seq);
                for (int i = 0; i < 6; i++) {
                    assertEquals(i + 1 < seq.length ? 1f : 0f, mask[b * 6 + i]);
                    if (i + 1 < seq.length) {
                        double[] expected = ModelFixtures.logSoftmax(logits[i]);
                        assertEquals(expected[seq[i + 1]], logProbs[b * 6 + i], 1e-4);
                        double h = 0;
                        for (double lp : expected) {
                            h -= Math.exp(lp) * lp;
                        }
                        assertEquals(h, entropy[b * 6 + i], 1e-4);
                        assertTrue(entropy[b * 6 + i] >= 0 && entropy[b * 6 + i] <= maxEntropy + 1e-4);
                    }
                }
            }
            assertEquals(manager, scores.logProbs().getManager());
        }
    }

    @Test
    void featuresAreTheFinalNormalisedHiddenStatesOfTheLastTokens() {
        try (LlamaModel model = randomModel(12)) {
            int[] seq = randomTokens(new SplittableRandom(4), 6);
            int[] prefix = Arrays.copyOf(seq, 3);
            float[][][] f = model.features(List.of(seq, prefix), 4);
            int dim = model.config().dim();
            assertEquals(2, f.length);
            assertEquals(4, f[0].length);
            assertEquals(dim, f[0][0].length);
            // causal: the prefix's last state equals the full sequence's state at the same position
            assertArrayEquals(f[0][0], f[1][3], 1e-5f);
            assertArrayEquals(f[0][0], model.features(List.of(Arrays.copyOf(seq, 3)), 1)[0][0], 1e-5f);
            assertArrayEquals(new float[dim], f[1][0]);
            // RMS-normalised with the final gain: non-zero and finite
            assertTrue(Math.abs(f[1][1][0]) > 0 && Float.isFinite(f[1][1][0]));
        }
    }

    @Test
    void featuresOneByOneAreBitForBitTheFeaturesOfEachSequenceAlone() {
        try (LlamaModel model = randomModel(14)) {
            SplittableRandom r = new SplittableRandom(5);
            List<int[]> sequences = List.of(randomTokens(r, 7), randomTokens(r, 2), randomTokens(r, 7));
            float[][][] together = model.featuresOneByOne(sequences, 3);
            for (int b = 0; b < sequences.size(); b++) {
                float[][] alone = model.features(List.of(sequences.get(b)), 3)[0];
                for (int k = 0; k < 3; k++) {
                    assertArrayEquals(alone[k], together[b][k], 0f, "sequence " + b + " token " + k);
                }
            }
        }
    }

    @Test
    void greedyLogProbsAreLogSoftmaxOfTheRawLogits() {
        try (LlamaModel model = randomModel(13)) {
            int[] prompt = randomTokens(new SplittableRandom(5), 4);
            Generation g = model.generate(List.of(prompt), SamplingOptions.greedy(5), 0).get(0);
            float[][] logits = model.logits(LlamaModelPropertiesTest.concat(prompt, g.tokenIds()));
            for (int t = 0; t < g.tokenIds().length; t++) {
                double[] expected = ModelFixtures.logSoftmax(logits[prompt.length - 1 + t]);
                int argmax = 0;
                for (int v = 1; v < expected.length; v++) {
                    argmax = expected[v] > expected[argmax] ? v : argmax;
                }
                assertEquals(argmax, g.tokenIds()[t]);
                assertEquals(expected[argmax], g.logProbs()[t], 1e-5);
            }
        }
    }

    @Test
    void samplingIsReproducibleForASeed() {
        try (LlamaModel model = randomModel(14)) {
            List<int[]> prompts = List.of(new int[] {1}, new int[] {1, 50, 60});
            SamplingOptions options = new SamplingOptions(12, 1.3, 40, 0.95, List.of());
            assertEquals(model.generate(prompts, options, 99), model.generate(prompts, options, 99));
        }
    }

    @Test
    void splittingABatchOverThreadsChangesNothing() {
        try (LlamaModel model = randomModel(17)) {
            SplittableRandom r = new SplittableRandom(6);
            List<int[]> prompts = new java.util.ArrayList<>();
            for (int i = 0; i < 24; i++) {
                prompts.add(randomTokens(r, 1 + r.nextInt(6)));
            }
            for (SamplingOptions options : List.of(SamplingOptions.greedy(7), SamplingOptions.sampling(7, 0.9))) {
                model.setGenerationThreads(1);
                List<Generation> single = model.generate(prompts, options, 5);
                model.setGenerationThreads(3);
                List<Generation> split = model.generate(prompts, options, 5);
                for (int i = 0; i < prompts.size(); i++) {
                    assertArrayEquals(single.get(i).tokenIds(), split.get(i).tokenIds(), "row " + i);
                    assertArrayEquals(single.get(i).logProbs(), split.get(i).logProbs(), 1e-5f, "row " + i);
                }
            }
        }
    }

    @Test
    void generationEndsOnEndOfSequenceAndKeepsThatToken() {
        try (LlamaModel model = constantModel(ByteTokenizer.EOS)) {
            Generation g = model.generate(List.of(new int[] {1, A}), SamplingOptions.greedy(10), 0).get(0);
            assertArrayEquals(new int[] {ByteTokenizer.EOS}, g.tokenIds());
            assertEquals(StopReason.EOS, g.stopReason());
            assertEquals("", g.text());
        }
    }

    @Test
    void generationEndsOnAStopStringAndCutsTheTextBeforeIt() {
        try (LlamaModel model = constantModel(A)) {
            SamplingOptions options = SamplingOptions.greedy(10).withStopStrings(List.of("zz", "aaa"));
            Generation g = model.generate(List.of(new int[] {1}), options, 0).get(0);
            assertArrayEquals(new int[] {A, A, A}, g.tokenIds());
            assertEquals(StopReason.STOP_STRING, g.stopReason());
            assertEquals("", g.text());
            Generation unstopped = model.generate(List.of(new int[] {1}),
                    SamplingOptions.greedy(4).withStopStrings(List.of("b")), 0).get(0);
            assertEquals("aaaa", unstopped.text());
            assertEquals(StopReason.MAX_TOKENS, unstopped.stopReason());
        }
    }

    @Test
    void stopStringsCutAnyGenerationAtTheirFirstOccurrence() {
        qt().withExamples(6).forAll(longs().all()).checkAssert(seed -> {
            try (LlamaModel model = randomModel(seed)) {
                SplittableRandom r = new SplittableRandom(seed);
                int[] prompt = randomTokens(r, 2);
                Generation full = model.generate(List.of(prompt), SamplingOptions.greedy(12), seed).get(0);
                int from = r.nextInt(Math.max(1, full.text().length() - 1));
                String stop = full.text().substring(from, Math.min(full.text().length(), from + 2));
                if (stop.isEmpty()) {
                    return;
                }
                Generation cut = model.generate(List.of(prompt),
                        SamplingOptions.greedy(12).withStopStrings(List.of(stop)), seed).get(0);
                assertEquals(StopReason.STOP_STRING, cut.stopReason());
                assertArrayEquals(Arrays.copyOf(full.tokenIds(), cut.tokenIds().length), cut.tokenIds());
                String decoded = TOKENIZER.decode(cut.tokenIds());
                assertEquals(decoded.substring(0, decoded.indexOf(stop)), cut.text());
                String before = TOKENIZER.decode(Arrays.copyOf(cut.tokenIds(), cut.tokenIds().length - 1));
                assertTrue(!before.contains(stop), "stopped late: '" + before + "' already holds '" + stop + "'");
            }
        });
    }

    @Test
    void generationEndsWhenTheContextIsFull() {
        try (LlamaModel model = constantModel(A)) {
            int[] prompt = new int[60];
            Arrays.fill(prompt, A);
            Generation g = model.generate(List.of(prompt, new int[] {1}), SamplingOptions.greedy(10), 0).get(0);
            assertEquals(4, g.tokenIds().length);
            assertEquals(StopReason.CONTEXT_FULL, g.stopReason());
        }
    }

    @Test
    void badInputsAreRejectedWithTheReason() {
        try (LlamaModel model = randomModel(15)) {
            SamplingOptions greedy = SamplingOptions.greedy(3);
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> model.generate(List.of(new int[0]), greedy, 0)).getMessage().contains("empty"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> model.generate(List.of(new int[] {1, 999}), greedy, 0)).getMessage().contains("999"));
            int[] tooLong = new int[model.config().maxSeqLen()];
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> model.generate(List.of(tooLong), greedy, 0)).getMessage().contains("context"));
            assertThrows(IllegalArgumentException.class, () -> new SamplingOptions(0, 1, 0, 1, List.of()));
            assertThrows(IllegalArgumentException.class, () -> new SamplingOptions(5, -1, 0, 1, List.of()));
            assertThrows(IllegalArgumentException.class, () -> new SamplingOptions(5, 1, 0, 0, List.of()));
        }
    }

    @Test
    void inferenceAndScoringLeaveNoNativeArraysBehind() {
        try (LlamaModel model = randomModel(16)) {
            List<int[]> prompts = new java.util.ArrayList<>();
            for (int i = 0; i < 20; i++) {
                prompts.add(i % 2 == 0 ? new int[] {1, 5, 6} : new int[] {1});
            }
            model.setGenerationThreads(2);
            model.generate(prompts, SamplingOptions.sampling(4, 1.0), 0);
            int live = model.liveArrays();
            for (int i = 0; i < 3; i++) {
                model.generate(prompts, new SamplingOptions(6, 0.8, 5, 0.9, List.of("x")), i);
                model.logits(prompts.get(0));
                model.features(prompts, 2);
                try (NDManager manager = NDManager.newBaseManager()) {
                    model.score(manager, prompts);
                }
            }
            assertEquals(live, model.liveArrays());
        }
    }
}

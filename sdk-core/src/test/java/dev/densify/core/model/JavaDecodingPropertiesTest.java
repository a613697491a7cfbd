package dev.densify.core.model;

import static dev.densify.core.model.ModelFixtures.maxAbsDifference;
import static dev.densify.core.model.ModelFixtures.randomModel;
import static dev.densify.core.model.ModelFixtures.randomTokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.optim.AdamW;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The Java decoding path samples what the engine path samples, over random architectures and every way to stop. */
class JavaDecodingPropertiesTest {

    /** Generations of both paths, the engine's first. */
    private static List<List<Generation>> bothPaths(LlamaModel model, List<int[]> prompts, SamplingOptions options,
                                                    long seed) {
        Decoding before = model.decoding();
        try {
            model.setDecoding(Decoding.ENGINE);
            List<Generation> engine = model.generate(prompts, options, seed);
            model.setDecoding(Decoding.JAVA);
            List<Generation> java = model.generate(prompts, options, seed);
            return List.of(engine, java);
        } finally {
            model.setDecoding(before);
        }
    }

    private static void assertSame(List<Generation> engine, List<Generation> java, String what) {
        assertEquals(engine.size(), java.size());
        for (int i = 0; i < engine.size(); i++) {
            Generation e = engine.get(i);
            Generation j = java.get(i);
            assertArrayEquals(e.tokenIds(), j.tokenIds(), what + ", row " + i);
            double diff = maxAbsDifference(e.logProbs(), j.logProbs());
            assertTrue(diff < 1e-4, what + ", row " + i + ": log-probs differ by " + diff);
            assertEquals(e.stopReason(), j.stopReason(), what + ", row " + i);
            assertEquals(e.text(), j.text(), what + ", row " + i);
        }
    }

    /** A batch of 1-4 prompts, sometimes near the end of the context, sometimes with a repeated prompt. */
    private static List<int[]> prompts(SplittableRandom r, LlamaModel model, boolean nearContextEnd) {
        List<int[]> prompts = new ArrayList<>();
        int count = 1 + r.nextInt(4);
        int maxSeqLen = model.config().maxSeqLen();
        for (int i = 0; i < count; i++) {
            prompts.add(randomTokens(r, nearContextEnd ? maxSeqLen - 1 - r.nextInt(6) : 1 + r.nextInt(12)));
        }
        if (r.nextBoolean()) {
            prompts.add(r.nextInt(prompts.size() + 1), prompts.get(r.nextInt(prompts.size())));
        }
        return prompts;
    }

    @Test
    void greedyDecodingGivesTheEnginesTokensLogProbsAndEnds() {
        qt().withExamples(16).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            try (LlamaModel model = randomModel(seed)) {
                boolean nearContextEnd = r.nextInt(3) == 0;
                List<int[]> prompts = prompts(r, model, nearContextEnd);
                SamplingOptions greedy = SamplingOptions.greedy(nearContextEnd ? 8 : 1 + r.nextInt(12));
                List<List<Generation>> both = bothPaths(model, prompts, greedy, seed);
                assertSame(both.get(0), both.get(1), "greedy " + model.config());
                if (nearContextEnd) {
                    assertTrue(both.get(1).stream().anyMatch(g -> g.stopReason() == StopReason.CONTEXT_FULL));
                }
                // a stop string cut from the engine's own output, so that it is certain to occur
                String text = both.get(0).get(0).text();
                if (!text.isEmpty()) {
                    int at = r.nextInt(text.length());
                    String stop = text.substring(at, Math.min(text.length(), at + 1 + r.nextInt(2)));
                    List<List<Generation>> stopped = bothPaths(model, prompts,
                            greedy.withStopStrings(List.of(stop)), seed);
                    assertSame(stopped.get(0), stopped.get(1), "stop string '" + stop + "'");
                    assertEquals(StopReason.STOP_STRING, stopped.get(1).get(0).stopReason());
                }
            }
        });
    }

    @Test
    void samplingWithTheSameSeedDrawsTheSameTokens() {
        qt().withExamples(16).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            double temperature = new double[] {0.5, 1.0, 1.7}[r.nextInt(3)];
            int topK = new int[] {0, 1, 3, 20}[r.nextInt(4)];
            double topP = new double[] {1.0, 0.9, 0.5}[r.nextInt(3)];
            SamplingOptions options = new SamplingOptions(1 + r.nextInt(12), temperature, topK, topP, List.of());
            try (LlamaModel model = randomModel(seed)) {
                List<List<Generation>> both = bothPaths(model, prompts(r, model, r.nextInt(4) == 0), options, seed);
                assertSame(both.get(0), both.get(1), options + " on " + model.config());
            }
        });
    }

    @Test
    void anEndOfSequenceTokenEndsTheRowOnBothPaths() {
        try (LlamaModel model = ModelFixtures.constantModel(ByteTokenizer.EOS)) {
            List<int[]> prompts = List.of(new int[] {ByteTokenizer.BOS}, randomTokens(new SplittableRandom(3), 7));
            List<List<Generation>> both = bothPaths(model, prompts, SamplingOptions.sampling(10, 1.0), 5);
            assertSame(both.get(0), both.get(1), "constant EOS model");
            both.get(1).forEach(g -> {
                assertEquals(StopReason.EOS, g.stopReason());
                assertArrayEquals(new int[] {ByteTokenizer.EOS}, g.tokenIds());
            });
        }
    }

    @Test
    void loraAdaptedWeightsAreDecodedAsTheEngineDecodesThem() {
        qt().withExamples(6).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            LoraConfig lora = new LoraConfig(2, 4, EnumSet.of(LoraTarget.Q, LoraTarget.K, LoraTarget.V, LoraTarget.O,
                    LoraTarget.DOWN), 3);
            try (LlamaModel base = randomModel(seed); LlamaModel adapted = base.withLora(lora)) {
                // fresh adapters add nothing (B = 0): give every adapter random values
                ModelWeights adapters = adapted.loraWeights();
                Map<String, WeightTensor> random = new LinkedHashMap<>();
                adapters.tensors().forEach((name, t) -> {
                    float[] data = new float[t.data().length];
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) (0.3 * r.nextGaussian());
                    }
                    random.put(name, new WeightTensor(name, t.shape(), data));
                });
                adapted.restore(new ModelWeights(adapted.config(), random, adapters.tokenizer()));
                List<int[]> prompts = prompts(r, adapted, false);
                SamplingOptions greedy = SamplingOptions.greedy(1 + r.nextInt(10));
                List<List<Generation>> both = bothPaths(adapted, prompts, greedy, seed);
                assertSame(both.get(0), both.get(1), "LoRA greedy");
                List<Generation> plain = base.generate(prompts, greedy, seed);
                assertTrue(both.get(1).stream().anyMatch(g -> g.logProbs().length > 0));
                boolean differs = false;
                for (int i = 0; i < plain.size(); i++) {
                    // different tokens may also differ in number, so compare log-probs only of equal tokens
                    differs |= !java.util.Arrays.equals(plain.get(i).tokenIds(), both.get(1).get(i).tokenIds())
                            || maxAbsDifference(plain.get(i).logProbs(), both.get(1).get(i).logProbs()) > 1e-3;
                }
                assertTrue(differs, "the adapters changed nothing, so the test could not tell");
            }
        });
    }

    @Test
    void anOptimizerStepInPlaceIsSeenByTheNextGeneration() {
        try (LlamaModel model = randomModel(11); AdamW optimizer = new AdamW(0.05, 0.9, 0.999, 1e-8, 0)) {
            model.setDecoding(Decoding.JAVA);
            List<int[]> prompts = List.of(randomTokens(new SplittableRandom(2), 5));
            SamplingOptions greedy = SamplingOptions.greedy(8);
            List<Generation> before = model.generate(prompts, greedy, 1);
            List<NDArray> parameters = model.trainableParameters();
            try (NDManager manager = NDManager.newBaseManager()) {
                optimizer.zeroGradients(parameters);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    TokenScores scores = model.score(manager, List.of(randomTokens(new SplittableRandom(4), 12)));
                    collector.backward(scores.logProbs().mul(scores.mask()).sum().neg());
                }
                optimizer.step(parameters);
            }
            List<List<Generation>> after = bothPaths(model, prompts, greedy, 1);
            assertSame(after.get(0), after.get(1), "after an update");
            assertTrue(maxAbsDifference(before.get(0).logProbs(), after.get(1).get(0).logProbs()) > 1e-4,
                    "the update did not change the generation, so the test could not tell");
        }
    }

    @Test
    void severalThreadsGiveTheSameGenerationsAsOne() {
        try (LlamaModel model = randomModel(17)) {
            model.setDecoding(Decoding.JAVA);
            SplittableRandom r = new SplittableRandom(9);
            List<int[]> prompts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                prompts.add(randomTokens(r, 1 + r.nextInt(6)));
            }
            SamplingOptions sampling = SamplingOptions.sampling(10, 1.0);
            List<Generation> one = model.generate(prompts, sampling, 3);
            model.setGenerationThreads(2);
            assertEquals(one, model.generate(prompts, sampling, 3));
        }
    }

    @Test
    void autoDecodesInJavaUpToTheMeasuredBatchTimesWidth() {
        try (LlamaModel model = randomModel(5)) {
            int dim = model.config().dim();
            int largest = LlamaModel.JAVA_DECODING_MAX_BATCH_DIM / dim;
            assertEquals(Decoding.AUTO, model.decoding());
            assertTrue(model.usesJavaDecoding(1) && model.usesJavaDecoding(largest));
            assertTrue(!model.usesJavaDecoding(largest + 1));
            model.setDecoding(Decoding.ENGINE);
            assertTrue(!model.usesJavaDecoding(1));
            model.setDecoding(Decoding.JAVA);
            assertTrue(model.usesJavaDecoding(largest + 1));
        }
    }

    @Test
    void theSystemPropertyNamesThePathAndABadValueIsRefused() {
        String old = System.getProperty(Decoding.PROPERTY);
        try {
            System.setProperty(Decoding.PROPERTY, "Engine");
            assertEquals(Decoding.ENGINE, Decoding.fromSystemProperty());
            System.setProperty(Decoding.PROPERTY, "gpu");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Decoding::fromSystemProperty);
            assertTrue(e.getMessage().contains("auto, java or engine"), e.getMessage());
            System.clearProperty(Decoding.PROPERTY);
            assertEquals(Decoding.AUTO, Decoding.fromSystemProperty());
        } finally {
            if (old == null) {
                System.clearProperty(Decoding.PROPERTY);
            } else {
                System.setProperty(Decoding.PROPERTY, old);
            }
        }
    }
}

package dev.densify.core.model;

import static dev.densify.core.model.ModelFixtures.maxAbsDifference;
import static dev.densify.core.model.ModelFixtures.randomModel;
import static dev.densify.core.model.ModelFixtures.randomTokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Invariants of the forward pass and generation over random architectures (GQA, RoPE layouts, biases, heads). */
class LlamaModelPropertiesTest {

    @Test
    void kvCacheIncrementalLogitsEqualFullForwardLogits() {
        qt().withExamples(12).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            try (LlamaModel model = randomModel(seed)) {
                int[] tokens = randomTokens(r, 1 + r.nextInt(Math.min(20, model.config().maxSeqLen())));
                float[][] full = model.logits(tokens);
                float[][] incremental = model.incrementalLogits(tokens);
                for (int i = 0; i < tokens.length; i++) {
                    assertTrue(maxAbsDifference(full[i], incremental[i]) < 1e-4,
                            "position " + i + " differs by " + maxAbsDifference(full[i], incremental[i]));
                }
            }
        });
    }

    @Test
    void batchedGenerationWithPaddingEqualsOneByOneGeneration() {
        qt().withExamples(8).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            try (LlamaModel model = randomModel(seed)) {
                List<int[]> prompts = new ArrayList<>();
                int count = 1 + r.nextInt(4);
                // near the end of the context, rows run out of room at different steps and leave the batch early
                boolean nearContextEnd = r.nextBoolean();
                int maxSeqLen = model.config().maxSeqLen();
                for (int i = 0; i < count; i++) {
                    prompts.add(randomTokens(r, nearContextEnd ? maxSeqLen - 1 - r.nextInt(6) : 1 + r.nextInt(8)));
                }
                // equal prompts share one prefill: each copy must still continue as it would alone
                if (r.nextBoolean()) {
                    prompts.add(r.nextInt(prompts.size() + 1), prompts.get(r.nextInt(prompts.size())));
                    count++;
                }
                int maxNew = nearContextEnd ? 6 : 1 + r.nextInt(6);
                List<Generation> batched = model.generate(prompts, SamplingOptions.greedy(maxNew), seed);
                for (int i = 0; i < count; i++) {
                    Generation alone = model.generate(List.of(prompts.get(i)), SamplingOptions.greedy(maxNew), seed)
                            .get(0);
                    assertArrayEquals(alone.tokenIds(), batched.get(i).tokenIds(), "prompt " + i);
                    assertTrue(maxAbsDifference(alone.logProbs(), batched.get(i).logProbs()) < 1e-5, "prompt " + i);
                    assertEquals(alone.stopReason(), batched.get(i).stopReason());
                }
                SamplingOptions sampling = SamplingOptions.sampling(maxNew, 1.0);
                Generation firstInBatch = model.generate(prompts, sampling, seed).get(0);
                Generation firstAlone = model.generate(List.of(prompts.get(0)), sampling, seed).get(0);
                assertArrayEquals(firstAlone.tokenIds(), firstInBatch.tokenIds());
            }
        });
    }

    @Test
    void sampledLogProbsEqualTheTrainingForwardLogProbsOfTheSameTokens() {
        qt().withExamples(8).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            try (LlamaModel model = randomModel(seed); NDManager manager = NDManager.newBaseManager()) {
                List<int[]> prompts = new ArrayList<>();
                int count = 1 + r.nextInt(3);
                for (int i = 0; i < count; i++) {
                    prompts.add(randomTokens(r, 1 + r.nextInt(6)));
                }
                List<Generation> generations = model.generate(prompts, SamplingOptions.sampling(1 + r.nextInt(8), 1.0),
                        seed);
                List<int[]> sequences = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    sequences.add(concat(prompts.get(i), generations.get(i).tokenIds()));
                }
                TokenScores scores = model.score(manager, sequences);
                int width = (int) scores.logProbs().getShape().get(1);
                float[] logProbs = scores.logProbs().toFloatArray();
                float[] mask = scores.mask().toFloatArray();
                for (int i = 0; i < count; i++) {
                    float[] sampled = generations.get(i).logProbs();
                    for (int t = 0; t < sampled.length; t++) {
                        int at = i * width + prompts.get(i).length - 1 + t;
                        assertEquals(1f, mask[at]);
                        assertEquals(sampled[t], logProbs[at], 1e-4, "sequence " + i + " token " + t);
                    }
                }
            }
        });
    }

    @Test
    void scoringFromAPositionGivesTheFullScoresColumnsAndTheirGradients() {
        qt().withExamples(8).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            try (LlamaModel model = randomModel(seed)) {
                List<int[]> sequences = new ArrayList<>();
                int count = 1 + r.nextInt(4);
                int[] from = new int[count];
                for (int i = 0; i < count; i++) {
                    sequences.add(randomTokens(r, 2 + r.nextInt(Math.min(12, model.config().maxSeqLen() - 1))));
                    from[i] = r.nextInt(sequences.get(i).length - 1);
                }
                // the same loss (sum of the log-probs after each from[b]) both ways: values and gradients agree
                float[] full;
                float[] fullGrad;
                float[] part;
                float[] partGrad;
                try (NDManager manager = NDManager.newBaseManager()) {
                    TokenScores all = model.score(manager, sequences);
                    float[] weights = new float[(int) all.logProbs().size()];
                    int width = (int) all.logProbs().getShape().get(1);
                    for (int b = 0; b < count; b++) {
                        for (int i = from[b]; i + 1 < sequences.get(b).length; i++) {
                            weights[b * width + i] = 1;
                        }
                    }
                    full = all.logProbs().toFloatArray();
                    fullGrad = ModelFixtures.gradientOf(model, () -> model.score(manager, sequences).logProbs()
                            .mul(manager.create(weights, all.logProbs().getShape())).sum());
                    TokenScores some = model.score(manager, sequences, from);
                    part = some.logProbs().toFloatArray();
                    float[] mask = some.mask().toFloatArray();
                    int partWidth = (int) some.logProbs().getShape().get(1);
                    for (int b = 0; b < count; b++) {
                        for (int j = 0; j < partWidth; j++) {
                            boolean inside = from[b] + j + 1 < sequences.get(b).length;
                            assertEquals(inside ? 1f : 0f, mask[b * partWidth + j]);
                            if (inside) {
                                assertEquals(full[b * width + from[b] + j], part[b * partWidth + j], 1e-5,
                                        "sequence " + b + " column " + j);
                            }
                        }
                    }
                    partGrad = ModelFixtures.gradientOf(model, () -> model.score(manager, sequences, from).logProbs()
                            .mul(manager.create(mask, some.logProbs().getShape())).sum());
                }
                assertTrue(maxAbsDifference(fullGrad, new float[fullGrad.length]) > 0, "no gradient at all");
                assertTrue(maxAbsDifference(fullGrad, partGrad) < 1e-4,
                        "gradients differ by " + maxAbsDifference(fullGrad, partGrad));
            }
        });
    }

    @Test
    void filteredSamplingReportsLogProbsOfTheFilteredDistribution() {
        qt().withExamples(10).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            double temperature = new double[] {0.5, 1.0, 1.7}[r.nextInt(3)];
            int topK = new int[] {0, 1, 3, 20}[r.nextInt(4)];
            double topP = new double[] {1.0, 0.9, 0.5}[r.nextInt(3)];
            SamplingOptions options = new SamplingOptions(1 + r.nextInt(6), temperature, topK, topP, List.of());
            try (LlamaModel model = randomModel(seed)) {
                int[] prompt = randomTokens(r, 1 + r.nextInt(5));
                Generation g = model.generate(List.of(prompt), options, seed).get(0);
                float[][] logits = model.logits(concat(prompt, g.tokenIds()));
                for (int t = 0; t < g.tokenIds().length; t++) {
                    double[] kept = filtered(logits[prompt.length - 1 + t], options);
                    int token = g.tokenIds()[t];
                    assertTrue(kept[token] > 0, "token " + token + " is outside the filtered set at step " + t);
                    assertEquals(Math.log(kept[token]), g.logProbs()[t], 1e-4, "step " + t + " with " + options);
                }
            }
        });
    }

    /** The reference definition: softmax(logits / T), keep top-k, then the smallest top-p prefix, renormalise. */
    private static double[] filtered(float[] logits, SamplingOptions o) {
        float[] scaled = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            scaled[i] = (float) (logits[i] / o.temperature());
        }
        double[] logP = ModelFixtures.logSoftmax(scaled);
        Integer[] order = new Integer[logits.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(logP[b], logP[a]));
        int keep = o.topK() > 0 ? Math.min(o.topK(), logits.length) : logits.length;
        double mass = 0;
        for (int k = 0; k < keep; k++) {
            mass += Math.exp(logP[order[k]]);
        }
        double cumulative = 0;
        int n = 0;
        while (n < keep) {
            cumulative += Math.exp(logP[order[n]]);
            n++;
            if (cumulative >= o.topP() * mass) {
                break;
            }
        }
        double[] out = new double[logits.length];
        for (int k = 0; k < n; k++) {
            out[order[k]] = Math.exp(logP[order[k]]) / cumulative;
        }
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package dev.densify.core.model;

import static dev.densify.core.model.ModelFixtures.randomConfig;
import static dev.densify.core.model.ModelFixtures.randomTokens;
import static dev.densify.core.model.ModelFixtures.randomWeights;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import ai.djl.ndarray.NDManager;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * LoRA dropout in the training forward: x W^T + (alpha / rank) * (mask * x / (1 - p)) A^T B^T on each adapted
 * projection, checked against a plain-Java forward of the whole model; no dropout at 0 or outside a training
 * forward; the masks a function of the seed alone.
 */
class LoraDropoutTest {
    private static final double P = 0.4;

    /** {@code model}'s adapters set to random values (B no longer zero), so that dropping their input shows. */
    private static LlamaModel withRandomAdapters(LlamaModel model, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, WeightTensor> moved = new LinkedHashMap<>();
        model.loraWeights().tensors().forEach((name, t) -> {
            float[] data = new float[t.data().length];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (random.nextGaussian() * 0.3);
            }
            moved.put(name, new WeightTensor(name, t.shape(), data));
        });
        model.restore(new ModelWeights(model.config(), moved, Optional.empty()));
        return model;
    }

    private static LlamaModel adapted(LlamaConfig config, long seed, Set<LoraTarget> targets, double dropout) {
        try (LlamaModel base = LlamaModel.fromWeights(randomWeights(config, seed, 0.3))) {
            return withRandomAdapters(base.withLora(new LoraConfig(2, 3, targets, dropout, seed)), seed + 1);
        }
    }

    /** A non-empty random subset of the targets. */
    private static Set<LoraTarget> targets(SplittableRandom random) {
        Set<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
        for (LoraTarget t : LoraTarget.values()) {
            if (random.nextBoolean()) {
                targets.add(t);
            }
        }
        return targets.isEmpty() ? EnumSet.of(LoraTarget.values()[random.nextInt(LoraTarget.values().length)])
                : targets;
    }

    private static float[] logProbs(LlamaModel model, List<int[]> sequences, int[] from, Long dropoutSeed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return (dropoutSeed == null ? model.score(manager, sequences, from)
                    : model.trainingScore(manager, sequences, from, dropoutSeed)).logProbs().toFloatArray();
        }
    }

    private static float[] gradient(LlamaModel model, List<int[]> sequences, int[] from, Long dropoutSeed) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return ModelFixtures.gradientOf(model, () -> {
                TokenScores s = dropoutSeed == null ? model.score(manager, sequences, from)
                        : model.trainingScore(manager, sequences, from, dropoutSeed);
                return s.logProbs().mul(s.mask()).sum().neg();
            });
        }
    }

    @Test
    void dropoutZeroIsTheFoldedForwardBitForBit() {
        LlamaConfig config = randomConfig(5);
        try (LlamaModel model = adapted(config, 5, EnumSet.allOf(LoraTarget.class), 0)) {
            List<int[]> sequences = List.of(randomTokens(new SplittableRandom(1), 9),
                    randomTokens(new SplittableRandom(2), 6));
            int[] from = {2, 0};
            assertArrayEquals(logProbs(model, sequences, from, null), logProbs(model, sequences, from, 77L));
            assertArrayEquals(gradient(model, sequences, from, null), gradient(model, sequences, from, 77L));
        }
    }

    /** The law on random architectures (GQA, biases, tied heads, both rotary layouts) and random target sets. */
    @Test
    void theTrainingForwardIsTheHandComputedDropoutOfEachAdapterInput() {
        qt().withExamples(6).forAll(longs().between(0, 1 << 20)).checkAssert(seed -> {
            LlamaConfig config = randomConfig(seed);
            SplittableRandom random = new SplittableRandom(seed);
            Set<LoraTarget> targets = targets(random);
            try (LlamaModel model = adapted(config, seed, targets, P)) {
                List<int[]> sequences = List.of(randomTokens(random, 5 + random.nextInt(6)),
                        randomTokens(random, 3 + random.nextInt(4)));
                int[] from = {random.nextInt(3), 0};
                long maskSeed = random.nextLong();
                float[] actual = logProbs(model, sequences, from, maskSeed);
                double[] expected = new Reference(model, targets).logProbs(sequences, from,
                        new AdapterDropout(P, maskSeed));
                float[] undropped = logProbs(model, sequences, from, null);
                double[] undroppedByHand = new Reference(model, targets).logProbs(sequences, from, null);
                double gap = 0;
                for (int i = 0; i < expected.length; i++) {
                    if (Double.isNaN(expected[i])) {
                        continue; // past the sequence's end: masked
                    }
                    assertEquals(expected[i], actual[i], 2e-4, "seed " + seed + " " + targets + ", score " + i);
                    assertEquals(undroppedByHand[i], undropped[i], 2e-4, "no dropout, score " + i);
                    gap = Math.max(gap, Math.abs(actual[i] - undropped[i]));
                }
                assertTrue(gap > 1e-3, "dropping the adapters' input changed the scores by only " + gap);
            }
        });
    }

    @Test
    void equalSeedsGiveEqualMasksAndOtherSeedsOthers() {
        try (LlamaModel model = adapted(randomConfig(8), 8, EnumSet.of(LoraTarget.Q, LoraTarget.V), P)) {
            List<int[]> sequences = List.of(randomTokens(new SplittableRandom(3), 10));
            int[] from = {0};
            float[] first = logProbs(model, sequences, from, 11L);
            assertArrayEquals(first, logProbs(model, sequences, from, 11L));
            assertArrayEquals(gradient(model, sequences, from, 11L), gradient(model, sequences, from, 11L));
            assertFalse(java.util.Arrays.equals(first, logProbs(model, sequences, from, 12L)));
            assertFalse(java.util.Arrays.equals(first, logProbs(model, sequences, from, null)));
        }
    }

    @Test
    void generationScoringAndMergingIgnoreTheDropout() {
        LlamaConfig config = randomConfig(9);
        Set<LoraTarget> all = EnumSet.allOf(LoraTarget.class);
        try (LlamaModel without = adapted(config, 9, all, 0); LlamaModel with = adapted(config, 9, all, 0.5)) {
            int[] tokens = randomTokens(new SplittableRandom(4), 12);
            assertArrayEquals(without.logits(tokens), with.logits(tokens));
            assertArrayEquals(logProbs(without, List.of(tokens), new int[] {3}, null),
                    logProbs(with, List.of(tokens), new int[] {3}, null));
            for (Decoding decoding : Decoding.values()) {
                without.setDecoding(decoding);
                with.setDecoding(decoding);
                List<int[]> prompts = List.of(java.util.Arrays.copyOf(tokens, 4), java.util.Arrays.copyOf(tokens, 2));
                List<Generation> a = without.generate(prompts, SamplingOptions.sampling(6, 1.0), 5);
                List<Generation> b = with.generate(prompts, SamplingOptions.sampling(6, 1.0), 5);
                for (int i = 0; i < a.size(); i++) {
                    assertArrayEquals(a.get(i).tokenIds(), b.get(i).tokenIds(), decoding + " row " + i);
                    assertArrayEquals(a.get(i).logProbs(), b.get(i).logProbs(), decoding + " row " + i);
                }
            }
            assertArrayEquals(without.features(List.of(tokens), 3)[0], with.features(List.of(tokens), 3)[0]);
            without.mergeLora();
            with.mergeLora();
            assertEquals(without.toWeights().tensors(), with.toWeights().tensors(), "the merged weights");
        }
    }

    @Test
    void masksKeepOneMinusPScaledUpAndTheRateIsChecked() {
        float[] mask = new AdapterDropout(0.25, 3).nextMask(20_000);
        int dropped = 0;
        for (float m : mask) {
            assertTrue(m == 0 || m == (float) (1 / 0.75), "mask value " + m);
            dropped += m == 0 ? 1 : 0;
        }
        assertEquals(0.25, dropped / 20_000.0, 0.02);
        assertArrayEquals(mask, new AdapterDropout(0.25, 3).nextMask(20_000));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 4, Set.of(LoraTarget.Q), 1.0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 4, Set.of(LoraTarget.Q), -0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 4, Set.of(LoraTarget.Q), Double.NaN, 0));
        LoraConfig dropping = new LoraConfig(2, 4, Set.of(LoraTarget.Q), 0.1, 7);
        assertEquals(dropping, LoraConfig.fromMetadata(dropping.toMetadata()));
        LoraConfig plain = new LoraConfig(2, 4, Set.of(LoraTarget.Q), 7);
        assertFalse(plain.toMetadata().containsKey("lora.dropout"), "adapters without dropout save as before");
        assertEquals(plain, LoraConfig.fromMetadata(plain.toMetadata()));
    }

    /**
     * The model's forward written out in plain Java (double precision), one projection at a time, with the adapters
     * unfolded: W x + b + scale * B A (mask * x), the masks drawn in the order {@link AdapterDropout} documents.
     */
    private static final class Reference {
        private final LlamaConfig c;
        private final Map<String, float[]> w = new HashMap<>();
        private final Set<LoraTarget> targets;
        private final double scale;

        Reference(LlamaModel model, Set<LoraTarget> targets) {
            this.c = model.config();
            this.targets = targets;
            this.scale = model.lora().orElseThrow().scale();
            model.toWeights().tensors().forEach((name, t) -> w.put(name, t.data()));
            model.loraWeights().tensors().forEach((name, t) -> w.put(name, t.data()));
        }

        /** The scores of {@link LlamaModel#score(NDManager, List, int[])}, [batch, width]; NaN past an end. */
        double[] logProbs(List<int[]> sequences, int[] from, AdapterDropout dropout) {
            int batch = sequences.size();
            int length = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
            // masks[layer][target] over the padded batch [batch, length, in], drawn in forward order
            Map<String, float[]> masks = new HashMap<>();
            for (int i = 0; i < c.layers(); i++) {
                for (LoraTarget t : LoraTarget.values()) {
                    if (targets.contains(t) && dropout != null) {
                        masks.put(i + "." + t, dropout.nextMask(batch * length * in(t)));
                    }
                }
            }
            int width = 0;
            for (int b = 0; b < batch; b++) {
                width = Math.max(width, sequences.get(b).length - 1 - from[b]);
            }
            double[] out = new double[batch * width];
            java.util.Arrays.fill(out, Double.NaN);
            for (int b = 0; b < batch; b++) {
                int[] seq = sequences.get(b);
                double[][] hidden = forward(seq, b, length, masks);
                for (int j = 0; j < width && from[b] + j + 1 < seq.length; j++) {
                    int position = from[b] + j;
                    double[] logits = matVec(w.get(c.tiedEmbeddings() ? CanonicalNames.EMBED_TOKENS
                            : CanonicalNames.LM_HEAD), c.vocabSize(), c.dim(),
                            gained(rmsNorm(hidden[position]), CanonicalNames.FINAL_NORM));
                    out[b * width + j] = ModelFixtures.logSoftmax(logits)[seq[position + 1]];
                }
            }
            return out;
        }

        private int in(LoraTarget t) {
            return t == LoraTarget.DOWN ? c.hiddenDim() : c.dim();
        }

        private double[][] forward(int[] seq, int b, int length, Map<String, float[]> masks) {
            int n = seq.length;
            int hs = c.headSize();
            int group = c.heads() / c.kvHeads();
            double[][] x = new double[n][];
            for (int pos = 0; pos < n; pos++) {
                x[pos] = row(w.get(CanonicalNames.EMBED_TOKENS), seq[pos], c.dim());
            }
            for (int i = 0; i < c.layers(); i++) {
                double[][] q = new double[n][];
                double[][] k = new double[n][];
                double[][] v = new double[n][];
                for (int pos = 0; pos < n; pos++) {
                    double[] xn = gained(rmsNorm(x[pos]), CanonicalNames.layer(i, CanonicalNames.ATTENTION_NORM));
                    q[pos] = rope(project(i, LoraTarget.Q, xn, masks, b, length, pos), c.heads(), pos);
                    k[pos] = rope(project(i, LoraTarget.K, xn, masks, b, length, pos), c.kvHeads(), pos);
                    v[pos] = project(i, LoraTarget.V, xn, masks, b, length, pos);
                }
                for (int pos = 0; pos < n; pos++) {
                    double[] attended = new double[c.dim()];
                    for (int h = 0; h < c.heads(); h++) {
                        int kvh = h / group;
                        double[] scores = new double[pos + 1];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int t = 0; t <= pos; t++) {
                            double dot = 0;
                            for (int d = 0; d < hs; d++) {
                                dot += q[pos][h * hs + d] * k[t][kvh * hs + d];
                            }
                            scores[t] = dot / Math.sqrt(hs);
                            max = Math.max(max, scores[t]);
                        }
                        double sum = 0;
                        for (int t = 0; t <= pos; t++) {
                            scores[t] = Math.exp(scores[t] - max);
                            sum += scores[t];
                        }
                        for (int t = 0; t <= pos; t++) {
                            for (int d = 0; d < hs; d++) {
                                attended[h * hs + d] += scores[t] / sum * v[t][kvh * hs + d];
                            }
                        }
                    }
                    add(x[pos], project(i, LoraTarget.O, attended, masks, b, length, pos));
                    double[] xn = gained(rmsNorm(x[pos]), CanonicalNames.layer(i, CanonicalNames.FFN_NORM));
                    double[] gate = project(i, LoraTarget.GATE, xn, masks, b, length, pos);
                    double[] up = project(i, LoraTarget.UP, xn, masks, b, length, pos);
                    double[] mixed = new double[gate.length];
                    for (int d = 0; d < gate.length; d++) {
                        mixed[d] = gate[d] / (1 + Math.exp(-gate[d])) * up[d];
                    }
                    add(x[pos], project(i, LoraTarget.DOWN, mixed, masks, b, length, pos));
                }
            }
            return x;
        }

        /** W x (+ bias) + scale * B (A (mask * x)) for the target's weight in layer i. */
        private double[] project(int i, LoraTarget t, double[] x, Map<String, float[]> masks, int b, int length,
                                 int pos) {
            String name = t.weightName(i);
            int in = x.length;
            float[] weight = w.get(name);
            int out = weight.length / in;
            double[] y = matVec(weight, out, in, x);
            float[] bias = w.get(name.replace(".weight", ".bias"));
            if (bias != null) {
                for (int o = 0; o < out; o++) {
                    y[o] += bias[o];
                }
            }
            if (targets.contains(t)) {
                double[] dropped = x.clone();
                float[] mask = masks.get(i + "." + t);
                if (mask != null) {
                    for (int d = 0; d < in; d++) {
                        dropped[d] *= mask[(b * length + pos) * in + d];
                    }
                }
                String module = name.substring(0, name.length() - ".weight".length());
                float[] a = w.get(module + ".lora_A.weight");
                int rank = a.length / in;
                double[] low = matVec(a, rank, in, dropped);
                double[] delta = matVec(w.get(module + ".lora_B.weight"), out, rank, low);
                for (int o = 0; o < out; o++) {
                    y[o] += scale * delta[o];
                }
            }
            return y;
        }

        /** Rotary embedding of each head at {@code pos}, in the configured layout. */
        private double[] rope(double[] x, int heads, int pos) {
            int hs = c.headSize();
            int half = hs / 2;
            double[] out = x.clone();
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < half; i++) {
                    int first = h * hs + (c.ropeInterleaved() ? 2 * i : i);
                    int second = h * hs + (c.ropeInterleaved() ? 2 * i + 1 : i + half);
                    double angle = pos * Math.pow(c.ropeTheta(), -2.0 * i / hs);
                    double cos = Math.cos(angle);
                    double sin = Math.sin(angle);
                    out[first] = x[first] * cos - x[second] * sin;
                    out[second] = x[second] * cos + x[first] * sin;
                }
            }
            return out;
        }

        private double[] rmsNorm(double[] x) {
            double sq = 0;
            for (double v : x) {
                sq += v * v;
            }
            double inv = 1 / Math.sqrt(sq / x.length + c.normEps());
            double[] out = new double[x.length];
            for (int d = 0; d < x.length; d++) {
                out[d] = x[d] * inv;
            }
            return out;
        }

        private double[] gained(double[] x, String gain) {
            float[] g = w.get(gain);
            double[] out = new double[x.length];
            for (int d = 0; d < x.length; d++) {
                out[d] = x[d] * g[d];
            }
            return out;
        }

        private static double[] matVec(float[] m, int rows, int cols, double[] x) {
            double[] y = new double[rows];
            for (int r = 0; r < rows; r++) {
                double s = 0;
                for (int j = 0; j < cols; j++) {
                    s += m[r * cols + j] * x[j];
                }
                y[r] = s;
            }
            return y;
        }

        private static double[] row(float[] m, int r, int cols) {
            double[] out = new double[cols];
            for (int j = 0; j < cols; j++) {
                out[j] = m[r * cols + j];
            }
            return out;
        }

        private static void add(double[] x, double[] delta) {
            for (int d = 0; d < x.length; d++) {
                x[d] += delta[d];
            }
        }
    }
}

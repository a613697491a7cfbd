package dev.densify.core.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.util.function.Supplier;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Small random models covering the architecture's variants, for property tests. */
final class ModelFixtures {
    static final ByteTokenizer TOKENIZER = new ByteTokenizer();

    private ModelFixtures() {}

    /** A random small configuration: head size 2..8, 1-4 query heads, any divisor as kv heads, every flag. */
    static LlamaConfig randomConfig(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int headSize = 2 * (1 + r.nextInt(4));
        int heads = new int[] {1, 2, 4}[r.nextInt(3)];
        int kvHeads = heads / new int[] {1, 2, 4}[r.nextInt(3)];
        kvHeads = Math.max(1, kvHeads);
        int dim = headSize * heads;
        return new LlamaConfig(dim, 4 + r.nextInt(24), 1 + r.nextInt(2), heads, kvHeads, ByteTokenizer.VOCAB_SIZE,
                24 + r.nextInt(24), r.nextBoolean() ? 10000 : 500, 1e-5, r.nextBoolean(), r.nextBoolean(),
                r.nextBoolean());
    }

    /** Every tensor random: weights N(0, std^2), norm gains 1 + N(0, 0.1^2), biases N(0, std^2). */
    static ModelWeights randomWeights(LlamaConfig config, long seed, double std) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, WeightTensor> tensors = new HashMap<>();
        CanonicalNames.expectedShapes(config).forEach((name, shape) -> {
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            boolean gain = shape.length == 1 && !name.endsWith(".bias");
            float[] data = new float[(int) size];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) (gain ? 1 + 0.1 * r.nextGaussian() : std * r.nextGaussian());
            }
            tensors.put(name, new WeightTensor(name, shape, data));
        });
        return new ModelWeights(config, tensors, Optional.of(TOKENIZER));
    }

    static LlamaModel randomModel(long seed) {
        return LlamaModel.fromWeights(randomWeights(randomConfig(seed), seed, 0.3));
    }

    /** Token ids starting with BOS, the rest random bytes. */
    static int[] randomTokens(SplittableRandom r, int length) {
        int[] tokens = new int[length];
        tokens[0] = ByteTokenizer.BOS;
        for (int i = 1; i < length; i++) {
            tokens[i] = ByteTokenizer.FIRST_BYTE + r.nextInt(256);
        }
        return tokens;
    }

    /**
     * A model whose every prediction is {@code favoured}: all embeddings equal one vector e, the blocks add
     * nothing to the residual stream (zero output projections), and the classifier row of {@code favoured} is
     * 10 e while the others are 0.
     */
    static LlamaModel constantModel(int favoured) {
        LlamaConfig config = new LlamaConfig(8, 16, 1, 2, 1, ByteTokenizer.VOCAB_SIZE, 64, 10000, 1e-5, false, false,
                false);
        ModelWeights random = randomWeights(config, 7, 0.3);
        Map<String, WeightTensor> tensors = new HashMap<>(random.tensors());
        float[] e = {1, -1, 2, 0.5f, -0.5f, 1, 0, 1};
        float[] embedding = new float[config.vocabSize() * config.dim()];
        float[] head = new float[config.vocabSize() * config.dim()];
        for (int v = 0; v < config.vocabSize(); v++) {
            System.arraycopy(e, 0, embedding, v * config.dim(), config.dim());
        }
        for (int d = 0; d < config.dim(); d++) {
            head[favoured * config.dim() + d] = 10 * e[d];
        }
        put(tensors, CanonicalNames.EMBED_TOKENS, embedding);
        put(tensors, CanonicalNames.LM_HEAD, head);
        put(tensors, CanonicalNames.FINAL_NORM, filled(config.dim(), 1));
        put(tensors, CanonicalNames.layer(0, CanonicalNames.O_PROJ), filled(config.dim() * config.dim(), 0));
        put(tensors, CanonicalNames.layer(0, CanonicalNames.DOWN_PROJ), filled(config.dim() * config.hiddenDim(), 0));
        return LlamaModel.fromWeights(new ModelWeights(config, tensors, Optional.of(TOKENIZER)));
    }

    private static void put(Map<String, WeightTensor> tensors, String name, float[] data) {
        tensors.put(name, new WeightTensor(name, tensors.get(name).shape(), data));
    }

    private static float[] filled(int size, float value) {
        float[] data = new float[size];
        java.util.Arrays.fill(data, value);
        return data;
    }

    /** The gradient of a scalar loss with respect to all trainable parameters, concatenated; gradients are reset. */
    static float[] gradientOf(LlamaModel model, Supplier<NDArray> loss) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(loss.get());
        }
        java.util.List<Float> out = new java.util.ArrayList<>();
        for (NDArray p : model.trainableParameters()) {
            try (NDArray g = p.getGradient()) {
                for (float v : g.toFloatArray()) {
                    out.add(v);
                }
                g.subi(g);
            }
        }
        float[] flat = new float[out.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = out.get(i);
        }
        return flat;
    }

    static double maxAbsDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    static double[] logSoftmax(float[] logits) {
        double[] widened = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            widened[i] = logits[i];
        }
        return logSoftmax(widened);
    }

    static double[] logSoftmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (double l : logits) {
            sum += Math.exp(l - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            out[i] = logits[i] - log;
        }
        return out;
    }
}

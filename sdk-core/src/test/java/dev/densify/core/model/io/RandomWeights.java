package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/** Complete weights of random values for a configuration, to write and read back. */
final class RandomWeights {
    private RandomWeights() {}

    static ModelWeights of(LlamaConfig config, long seed, Optional<Tokenizer> tokenizer) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, WeightTensor> tensors = new HashMap<>();
        CanonicalNames.expectedShapes(config).forEach((name, shape) -> {
            long size = 1;
            for (long d : shape) {
                size *= d;
            }
            float[] data = new float[(int) size];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            tensors.put(name, new WeightTensor(name, shape, data));
        });
        return new ModelWeights(config, tensors, tokenizer);
    }

    /** A small llama2.c-compatible configuration. */
    static LlamaConfig tiny(boolean tied) {
        return new LlamaConfig(16, 40, 2, 4, 2, 32, 24, 10000.0, 1e-5, tied, true, false);
    }
}

package dev.densify.core.model.io;

import dev.densify.core.model.LlamaConfig;
import java.util.SplittableRandom;

/** Small random architectures covering grouped-query attention, tying, biases and both rotary layouts. */
final class RandomConfigs {
    private RandomConfigs() {}

    static LlamaConfig of(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int kvHeads = 1 + random.nextInt(2);
        int heads = kvHeads * (1 + random.nextInt(2));
        int headSize = 2 * (1 + random.nextInt(3));
        return new LlamaConfig(heads * headSize, 1 + random.nextInt(12), 1 + random.nextInt(2), heads, kvHeads,
                1 + random.nextInt(20), 1 + random.nextInt(64), 10000.0 * (1 + random.nextInt(100)),
                random.nextBoolean() ? 1e-5 : 1e-6, random.nextBoolean(), random.nextBoolean(), random.nextBoolean());
    }
}

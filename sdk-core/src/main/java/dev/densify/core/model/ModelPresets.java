package dev.densify.core.model;

import dev.densify.api.API;
import java.util.Map;
import java.util.TreeMap;

/**
 * Named architectures small enough to train from scratch on two CPU cores in minutes. They use the rotate-half
 * rotary layout and tied embeddings, so saved checkpoints load in Hugging Face tooling as plain Llama models.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ModelPresets {
    private record Shape(int dim, int hiddenDim, int layers, int heads, int kvHeads, int maxSeqLen) {}

    private static final Map<String, Shape> PRESETS = new TreeMap<>(Map.of(
            "micro", new Shape(32, 88, 2, 4, 2, 256),
            "tiny", new Shape(128, 344, 4, 4, 2, 512),
            "small", new Shape(256, 688, 6, 8, 4, 1024)));

    private ModelPresets() {}

    /**
     * The named preset for a tokenizer of the given vocabulary: micro (about 30K parameters with 256 tokens,
     * for tests), tiny (about 0.76M), small (about 4.8M).
     */
    public static LlamaConfig preset(String name, int vocabSize) {
        Shape s = PRESETS.get(name);
        if (s == null) {
            throw new IllegalArgumentException("unknown model preset '" + name + "', known: "
                    + String.join(", ", PRESETS.keySet()));
        }
        return new LlamaConfig(s.dim(), s.hiddenDim(), s.layers(), s.heads(), s.kvHeads(), vocabSize, s.maxSeqLen(),
                10000, 1e-5, true, false, false);
    }

    /** The preset names, sorted. */
    public static java.util.Set<String> names() {
        return PRESETS.keySet();
    }
}

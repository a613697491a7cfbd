package dev.densify.core.model;

import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The canonical (Hugging Face Llama) tensor names of {@link ModelWeights} and the shape each must have for a
 * configuration; every reader maps its file's names onto these, and the writer stores them unchanged.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class CanonicalNames {
    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    public static final String ATTENTION_NORM = "input_layernorm.weight";
    public static final String Q_PROJ = "self_attn.q_proj.weight";
    public static final String K_PROJ = "self_attn.k_proj.weight";
    public static final String V_PROJ = "self_attn.v_proj.weight";
    public static final String O_PROJ = "self_attn.o_proj.weight";
    public static final String Q_BIAS = "self_attn.q_proj.bias";
    public static final String K_BIAS = "self_attn.k_proj.bias";
    public static final String V_BIAS = "self_attn.v_proj.bias";
    public static final String FFN_NORM = "post_attention_layernorm.weight";
    public static final String GATE_PROJ = "mlp.gate_proj.weight";
    public static final String UP_PROJ = "mlp.up_proj.weight";
    public static final String DOWN_PROJ = "mlp.down_proj.weight";

    private CanonicalNames() {}

    /** The full name of a per-layer tensor, e.g. {@code layer(3, Q_PROJ)} is {@code model.layers.3.self_attn.q_proj.weight}. */
    public static String layer(int index, String suffix) {
        return "model.layers." + index + "." + suffix;
    }

    /** Every tensor a model of this configuration has, with its row-major shape, in a stable order. */
    public static Map<String, long[]> expectedShapes(LlamaConfig config) {
        long dim = config.dim();
        long kvDim = config.kvDim();
        long hidden = config.hiddenDim();
        long vocab = config.vocabSize();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(EMBED_TOKENS, new long[] {vocab, dim});
        for (int i = 0; i < config.layers(); i++) {
            shapes.put(layer(i, ATTENTION_NORM), new long[] {dim});
            shapes.put(layer(i, Q_PROJ), new long[] {dim, dim});
            shapes.put(layer(i, K_PROJ), new long[] {kvDim, dim});
            shapes.put(layer(i, V_PROJ), new long[] {kvDim, dim});
            shapes.put(layer(i, O_PROJ), new long[] {dim, dim});
            if (config.attentionBias()) {
                shapes.put(layer(i, Q_BIAS), new long[] {dim});
                shapes.put(layer(i, K_BIAS), new long[] {kvDim});
                shapes.put(layer(i, V_BIAS), new long[] {kvDim});
            }
            shapes.put(layer(i, FFN_NORM), new long[] {dim});
            shapes.put(layer(i, GATE_PROJ), new long[] {hidden, dim});
            shapes.put(layer(i, UP_PROJ), new long[] {hidden, dim});
            shapes.put(layer(i, DOWN_PROJ), new long[] {dim, hidden});
        }
        shapes.put(FINAL_NORM, new long[] {dim});
        if (!config.tiedEmbeddings()) {
            shapes.put(LM_HEAD, new long[] {vocab, dim});
        }
        return shapes;
    }

    /**
     * Checks that {@code tensors} holds exactly the tensors of {@code config} with their shapes.
     *
     * @throws IllegalArgumentException naming the first missing, misshapen or unexpected tensor
     */
    public static void requireComplete(LlamaConfig config, Map<String, WeightTensor> tensors) {
        Map<String, long[]> shapes = expectedShapes(config);
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            WeightTensor tensor = tensors.get(e.getKey());
            if (tensor == null) {
                throw new IllegalArgumentException("missing tensor " + e.getKey() + ", expected shape "
                        + Arrays.toString(e.getValue()));
            }
            if (!Arrays.equals(tensor.shape(), e.getValue())) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has shape "
                        + Arrays.toString(tensor.shape()) + ", expected " + Arrays.toString(e.getValue()));
            }
        }
        for (String name : tensors.keySet()) {
            if (!shapes.containsKey(name)) {
                throw new IllegalArgumentException("unexpected tensor " + name + " for " + config);
            }
        }
    }
}

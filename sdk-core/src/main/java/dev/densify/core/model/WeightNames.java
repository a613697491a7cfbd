package dev.densify.core.model;

import java.util.LinkedHashMap;
import java.util.Map;

/** The canonical (Hugging Face Llama) tensor names and the shapes a configuration implies. */
final class WeightNames {
    static final String EMBEDDING = "model.embed_tokens.weight";
    static final String FINAL_NORM = "model.norm.weight";
    static final String HEAD = "lm_head.weight";
    static final String ATTENTION_NORM = "input_layernorm.weight";
    static final String FFN_NORM = "post_attention_layernorm.weight";
    static final String Q = "self_attn.q_proj.weight";
    static final String K = "self_attn.k_proj.weight";
    static final String V = "self_attn.v_proj.weight";
    static final String O = "self_attn.o_proj.weight";
    static final String Q_BIAS = "self_attn.q_proj.bias";
    static final String K_BIAS = "self_attn.k_proj.bias";
    static final String V_BIAS = "self_attn.v_proj.bias";
    static final String GATE = "mlp.gate_proj.weight";
    static final String UP = "mlp.up_proj.weight";
    static final String DOWN = "mlp.down_proj.weight";

    private WeightNames() {}

    static String layer(int layer, String suffix) {
        return "model.layers." + layer + "." + suffix;
    }

    /** Every tensor the configuration needs, in checkpoint order, with its shape. */
    static Map<String, long[]> expectedShapes(LlamaConfig c) {
        long dim = c.dim();
        long qDim = (long) c.heads() * c.headSize();
        long kvDim = c.kvDim();
        long hidden = c.hiddenDim();
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put(EMBEDDING, new long[] {c.vocabSize(), dim});
        for (int i = 0; i < c.layers(); i++) {
            shapes.put(layer(i, ATTENTION_NORM), new long[] {dim});
            shapes.put(layer(i, Q), new long[] {qDim, dim});
            shapes.put(layer(i, K), new long[] {kvDim, dim});
            shapes.put(layer(i, V), new long[] {kvDim, dim});
            if (c.attentionBias()) {
                shapes.put(layer(i, Q_BIAS), new long[] {qDim});
                shapes.put(layer(i, K_BIAS), new long[] {kvDim});
                shapes.put(layer(i, V_BIAS), new long[] {kvDim});
            }
            shapes.put(layer(i, O), new long[] {dim, qDim});
            shapes.put(layer(i, FFN_NORM), new long[] {dim});
            shapes.put(layer(i, GATE), new long[] {hidden, dim});
            shapes.put(layer(i, UP), new long[] {hidden, dim});
            shapes.put(layer(i, DOWN), new long[] {dim, hidden});
        }
        shapes.put(FINAL_NORM, new long[] {dim});
        if (!c.tiedEmbeddings()) {
            shapes.put(HEAD, new long[] {c.vocabSize(), dim});
        }
        return shapes;
    }
}

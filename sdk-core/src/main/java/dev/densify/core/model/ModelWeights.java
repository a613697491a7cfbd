package dev.densify.core.model;

import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A checkpoint in memory: architecture, tensors under canonical (Hugging Face Llama) names, and the tokenizer
 * when the file carries one. Canonical names: {@code model.embed_tokens.weight} [vocab, dim];
 * per layer i {@code model.layers.i.input_layernorm.weight}, {@code .self_attn.q_proj.weight} [heads*hs, dim],
 * {@code k_proj}, {@code v_proj} [kvHeads*hs, dim], {@code o_proj} [dim, dim] (optional {@code q/k/v_proj.bias}),
 * {@code .post_attention_layernorm.weight}, {@code .mlp.gate_proj.weight} (w1) [hidden, dim],
 * {@code .mlp.up_proj.weight} (w3) [hidden, dim], {@code .mlp.down_proj.weight} (w2) [dim, hidden];
 * {@code model.norm.weight}; {@code lm_head.weight} [vocab, dim] unless embeddings are tied. Q/K rows are kept
 * in the file's rotary layout, which {@link LlamaConfig#ropeInterleaved()} records.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ModelWeights(LlamaConfig config, Map<String, WeightTensor> tensors, Optional<Tokenizer> tokenizer) {
    public ModelWeights {
        Objects.requireNonNull(config, "config");
        tensors = Map.copyOf(Objects.requireNonNull(tensors, "tensors"));
        Objects.requireNonNull(tokenizer, "tokenizer");
    }
}

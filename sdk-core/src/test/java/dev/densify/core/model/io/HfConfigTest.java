package dev.densify.core.model.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.core.model.LlamaConfig;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class HfConfigTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FILE = Path.of("ckpt", "config.json");

    private static LlamaConfig parse(String json) throws Exception {
        return HfConfig.parse(FILE, JSON.readTree(json));
    }

    private static String failure(String json) throws Exception {
        JsonNode node = JSON.readTree(json);
        return assertThrows(ModelFormatException.class, () -> HfConfig.parse(FILE, node)).getMessage();
    }

    @Test
    void readsALlamaConfig() throws Exception {
        // TinyLlama-1.1B's config.json
        LlamaConfig config = parse("""
                {"architectures": ["LlamaForCausalLM"], "bos_token_id": 1, "eos_token_id": 2, "hidden_act": "silu",
                 "hidden_size": 2048, "initializer_range": 0.02, "intermediate_size": 5632,
                 "max_position_embeddings": 2048, "model_type": "llama", "num_attention_heads": 32,
                 "num_hidden_layers": 22, "num_key_value_heads": 4, "pretraining_tp": 1, "rms_norm_eps": 1e-05,
                 "rope_scaling": null, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
                 "transformers_version": "4.35.0", "use_cache": true, "vocab_size": 32000}""");
        assertEquals(new LlamaConfig(2048, 5632, 22, 32, 4, 32000, 2048, 10000.0, 1e-5, false, false, false), config);
    }

    @Test
    void qwen2HasAttentionBiasesAndMistralDefaultsApply() throws Exception {
        LlamaConfig qwen = parse("""
                {"model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24,
                 "num_attention_heads": 14, "num_key_value_heads": 2, "vocab_size": 151936,
                 "max_position_embeddings": 32768, "rope_theta": 1000000.0, "rms_norm_eps": 1e-06,
                 "tie_word_embeddings": true, "hidden_act": "silu", "sliding_window": 32768}""");
        assertEquals(new LlamaConfig(896, 4864, 24, 14, 2, 151936, 32768, 1e6, 1e-6, true, false, true), qwen);
        LlamaConfig mistral = parse("""
                {"model_type": "mistral", "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "vocab_size": 100}""");
        assertEquals(new LlamaConfig(64, 128, 2, 4, 4, 100, 32768, 10000.0, 1e-6, false, false, false), mistral);
    }

    @Test
    void writtenConfigsParseBack() throws Exception {
        for (long seed = 0; seed < 50; seed++) {
            LlamaConfig config = RandomConfigs.of(seed);
            assertEquals(config, HfConfig.parse(FILE, HfConfig.toJson(config, OptionalInt.of(1), OptionalInt.of(2))));
        }
    }

    @Test
    void unsupportedArchitecturesAreNamed() throws Exception {
        assertEquals(FILE + ": model_type 'gpt2' is not supported, expected one of llama, mistral, qwen2",
                failure("{\"model_type\": \"gpt2\"}"));
        assertEquals(FILE + ": hidden_act 'gelu' is not supported, expected silu",
                failure("{\"model_type\": \"llama\", \"hidden_act\": \"gelu\"}"));
        assertEquals(FILE + ": head_dim 128 is not hidden_size / num_attention_heads = 5120 / 32; separate head"
                + " sizes are not supported", failure("""
                {"model_type": "mistral", "hidden_size": 5120, "num_attention_heads": 32, "head_dim": 128}"""));
    }

    @Test
    void missingAndMistypedFieldsAreNamed() throws Exception {
        assertEquals(FILE + ": missing field intermediate_size", failure("""
                {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4}"""));
        assertEquals(FILE + ": field vocab_size is \"32000\", expected a positive integer", failure("""
                {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 8,
                 "num_hidden_layers": 1, "vocab_size": "32000"}"""));
        assertEquals(FILE + ": inconsistent architecture: kvHeads must divide heads 4, got 3", failure("""
                {"model_type": "llama", "hidden_size": 64, "num_attention_heads": 4, "intermediate_size": 8,
                 "num_hidden_layers": 1, "vocab_size": 10, "num_key_value_heads": 3}"""));
    }
}

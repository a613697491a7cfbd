package dev.densify.core.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.densify.core.model.LlamaConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code config.json} of Hugging Face Llama, Mistral and Qwen2 checkpoints, to and from {@link LlamaConfig}. Missing
 * optional fields take the defaults of the transformers configuration class of the model type. The non-standard
 * field {@value #ROPE_INTERLEAVED} marks weights kept in llama2.c/GGUF's interleaved rotary layout.
 */
final class HfConfig {
    static final String ROPE_INTERLEAVED = "rope_interleaved";
    private static final Logger LOG = LoggerFactory.getLogger(HfConfig.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Integer> DEFAULT_CONTEXT = Map.of("llama", 2048, "mistral", 32768,
            "qwen2", 32768);

    private HfConfig() {}

    static LlamaConfig parse(Path file, JsonNode json) throws ModelFormatException {
        String modelType = json.path("model_type").asText("");
        if (!DEFAULT_CONTEXT.containsKey(modelType)) {
            throw new ModelFormatException(file, "model_type '" + modelType + "' is not supported, expected one of "
                    + "llama, mistral, qwen2");
        }
        String activation = json.path("hidden_act").asText("silu");
        if (!activation.equals("silu")) {
            throw new ModelFormatException(file, "hidden_act '" + activation + "' is not supported, expected silu");
        }
        if (json.path("mlp_bias").asBoolean(false)) {
            throw new ModelFormatException(file, "mlp_bias true is not supported, expected false");
        }
        if (modelType.equals("llama") && json.path("attention_bias").asBoolean(false)) {
            throw new ModelFormatException(file, "attention_bias true (biases on q, k, v and o) is not supported, "
                    + "expected false; only Qwen2's q/k/v biases are");
        }
        if (!json.path("rope_scaling").isMissingNode() && !json.path("rope_scaling").isNull()) {
            LOG.warn("{}: rope_scaling {} is ignored: positions beyond the original context will degrade", file,
                    json.path("rope_scaling"));
        }
        int dim = integer(file, json, "hidden_size", OptionalInt.empty());
        int heads = integer(file, json, "num_attention_heads", OptionalInt.empty());
        if (json.hasNonNull("head_dim") && heads > 0 && json.path("head_dim").asInt() * heads != dim) {
            throw new ModelFormatException(file, "head_dim " + json.path("head_dim") + " is not hidden_size / "
                    + "num_attention_heads = " + dim + " / " + heads + "; separate head sizes are not supported");
        }
        try {
            return new LlamaConfig(dim,
                    integer(file, json, "intermediate_size", OptionalInt.empty()),
                    integer(file, json, "num_hidden_layers", OptionalInt.empty()),
                    heads,
                    integer(file, json, "num_key_value_heads", OptionalInt.of(heads)),
                    integer(file, json, "vocab_size", OptionalInt.empty()),
                    integer(file, json, "max_position_embeddings", OptionalInt.of(DEFAULT_CONTEXT.get(modelType))),
                    number(file, json, "rope_theta", 10000.0),
                    number(file, json, "rms_norm_eps", 1e-6),
                    json.path("tie_word_embeddings").asBoolean(false),
                    json.path(ROPE_INTERLEAVED).asBoolean(false),
                    modelType.equals("qwen2"));
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(file, "inconsistent architecture: " + e.getMessage(), e);
        }
    }

    /** The config.json of {@code config}: Qwen2 when it has attention biases, Llama otherwise. */
    static ObjectNode toJson(LlamaConfig config, OptionalInt bos, OptionalInt eos) {
        boolean qwen = config.attentionBias();
        ObjectNode json = JSON.createObjectNode();
        json.putArray("architectures").add(qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM");
        json.put("model_type", qwen ? "qwen2" : "llama")
                .put("hidden_size", config.dim())
                .put("intermediate_size", config.hiddenDim())
                .put("num_hidden_layers", config.layers())
                .put("num_attention_heads", config.heads())
                .put("num_key_value_heads", config.kvHeads())
                .put("vocab_size", config.vocabSize())
                .put("max_position_embeddings", config.maxSeqLen())
                .put("rope_theta", config.ropeTheta())
                .put("rms_norm_eps", config.normEps())
                .put("tie_word_embeddings", config.tiedEmbeddings())
                .put("hidden_act", "silu")
                .put("torch_dtype", "float32");
        if (!qwen) {
            json.put("attention_bias", false);
        }
        bos.ifPresent(id -> json.put("bos_token_id", id));
        eos.ifPresent(id -> json.put("eos_token_id", id));
        if (config.ropeInterleaved()) {
            json.put(ROPE_INTERLEAVED, true);
        }
        return json;
    }

    private static int integer(Path file, JsonNode json, String key, OptionalInt fallback)
            throws ModelFormatException {
        JsonNode node = json.path(key);
        if (node.isMissingNode() || node.isNull()) {
            if (fallback.isPresent()) {
                return fallback.getAsInt();
            }
            throw new ModelFormatException(file, "missing field " + key);
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() <= 0) {
            throw new ModelFormatException(file, "field " + key + " is " + node + ", expected a positive integer");
        }
        return node.asInt();
    }

    private static double number(Path file, JsonNode json, String key, double fallback) throws ModelFormatException {
        JsonNode node = json.path(key);
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw new ModelFormatException(file, "field " + key + " is " + node + ", expected a number");
        }
        return node.asDouble();
    }
}

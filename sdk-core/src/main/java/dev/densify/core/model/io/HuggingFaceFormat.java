package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hugging Face checkpoint folders: {@code config.json} (Llama, Mistral or Qwen2), the weights in
 * {@value #WEIGHTS} or in shards listed by {@value #INDEX}, and the tokenizer ({@code tokenizer.json}, or densify's
 * {@code densify-tokenizer.json} for the byte and SentencePiece-BPE tokenizers). Tensor names are already the
 * canonical ones. Hugging Face weights use the rotate-half rotary layout unless {@code config.json} says
 * {@code "rope_interleaved": true}, which densify writes for weights that came from llama2.c or GGUF (convert them
 * with {@link RopeLayout#toRotateHalf(ModelWeights)} first to hand a folder to transformers).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class HuggingFaceFormat {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String INDEX = "model.safetensors.index.json";
    private static final Logger LOG = LoggerFactory.getLogger(HuggingFaceFormat.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private HuggingFaceFormat() {}

    /** Reads the folder's configuration, weights and tokenizer (empty when the folder has no known one). */
    public static ModelWeights read(Path folder) throws IOException {
        return read(folder, true);
    }

    static ModelWeights read(Path folder, boolean withTokenizer) throws IOException {
        Objects.requireNonNull(folder, "folder");
        Path configFile = folder.resolve(CONFIG);
        LlamaConfig config = HfConfig.parse(configFile, JsonFiles.read(configFile, JSON.reader()));
        Map<String, Path> locations = locations(folder);
        WeightChecks.requirePlausible(configFile, config, "num_hidden_layers", locations.keySet());
        Map<Path, SafetensorsFile> open = new LinkedHashMap<>();
        try {
            Map<String, WeightTensor> tensors = new HashMap<>();
            for (Map.Entry<String, long[]> expected : CanonicalNames.expectedShapes(config).entrySet()) {
                String name = expected.getKey();
                Path shard = locations.get(name);
                if (shard == null) {
                    Path listing = Files.isRegularFile(folder.resolve(INDEX)) ? folder.resolve(INDEX)
                            : folder.resolve(WEIGHTS);
                    throw new ModelFormatException(listing, "missing tensor " + name + ", expected shape "
                            + Arrays.toString(expected.getValue()));
                }
                SafetensorsFile file = open.get(shard);
                if (file == null) {
                    file = SafetensorsFile.open(shard);
                    open.put(shard, file);
                }
                if (!file.names().contains(name)) {
                    throw new ModelFormatException(shard, "missing tensor " + name + " (the index places it here)");
                }
                if (!Arrays.equals(file.shape(name), expected.getValue())) {
                    throw new ModelFormatException(shard, "tensor " + name + " has shape "
                            + Arrays.toString(file.shape(name)) + ", expected " + Arrays.toString(expected.getValue())
                            + " for " + config);
                }
                tensors.put(name, file.read(name));
            }
            WeightChecks.requireFinite(folder, tensors);
            List<String> ignored = new ArrayList<>(locations.keySet());
            ignored.removeAll(tensors.keySet());
            if (!ignored.isEmpty()) {
                LOG.debug("{}: ignoring tensors the Llama architecture does not use: {}", folder, ignored);
            }
            Optional<Tokenizer> tokenizer = withTokenizer ? TokenizerFiles.readFolder(folder) : Optional.empty();
            return new ModelWeights(config, tensors, tokenizer);
        } finally {
            for (SafetensorsFile file : open.values()) {
                file.close();
            }
        }
    }

    /** Which file holds each tensor: from the index when there is one, else every tensor of the single file. */
    private static Map<String, Path> locations(Path folder) throws IOException {
        Path index = folder.resolve(INDEX);
        Map<String, Path> locations = new LinkedHashMap<>();
        if (Files.isRegularFile(index)) {
            JsonNode weightMap = JsonFiles.read(index, JSON.reader()).path("weight_map");
            if (!weightMap.isObject()) {
                throw new ModelFormatException(index, "expected an object 'weight_map' of tensor name to file name");
            }
            for (Map.Entry<String, JsonNode> e : weightMap.properties()) {
                Path shard = folder.resolve(e.getValue().asText());
                if (!shard.normalize().startsWith(folder.normalize())) {
                    throw new ModelFormatException(index, "tensor " + e.getKey() + " points outside the folder: "
                            + e.getValue());
                }
                locations.put(e.getKey(), shard);
            }
            return locations;
        }
        Path single = folder.resolve(WEIGHTS);
        if (!Files.isRegularFile(single)) {
            throw new ModelFormatException(folder, "expected " + WEIGHTS + " or " + INDEX + " beside " + CONFIG);
        }
        try (SafetensorsFile file = SafetensorsFile.open(single)) {
            file.names().forEach(name -> locations.put(name, single));
        }
        return locations;
    }

    /**
     * Writes {@code config.json}, {@value #WEIGHTS} (float32) and the tokenizer into {@code folder}, replacing an
     * earlier checkpoint there.
     *
     * @throws IllegalArgumentException when the tensors do not match the configuration
     */
    public static void write(ModelWeights weights, Path folder) throws IOException {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(folder, "folder");
        CanonicalNames.requireComplete(weights.config(), weights.tensors());
        Files.createDirectories(folder);
        for (String stale : List.of(INDEX, TokenizerFiles.HF_FILE, TokenizerFiles.DENSIFY_FILE)) {
            Files.deleteIfExists(folder.resolve(stale));
        }
        Safetensors.write(folder.resolve(WEIGHTS), weights.tensors().values(), Map.of("format", "pt"));
        OptionalInt bos = OptionalInt.empty();
        OptionalInt eos = OptionalInt.empty();
        if (weights.tokenizer().isPresent()) {
            Tokenizer tokenizer = weights.tokenizer().get();
            if (TokenizerFiles.write(tokenizer, folder).isPresent()) {
                bos = OptionalInt.of(tokenizer.bos());
                eos = OptionalInt.of(tokenizer.eos());
            } else {
                LOG.warn("{}: a {} has no file format; the checkpoint is saved without its tokenizer", folder,
                        tokenizer.getClass().getSimpleName());
            }
        }
        JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(CONFIG).toFile(),
                HfConfig.toJson(weights.config(), bos, eos));
    }
}

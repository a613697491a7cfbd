package dev.densify.core.model.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} run by DJL's tokenizers library (the Rust implementation), with truncation
 * and padding switched off (DJL would otherwise cut every text at 512 tokens without saying so). Encoding adds no
 * special tokens of the tokenizer's own template; BOS is prepended only when asked. Holds a native handle: close it
 * when the model is discarded.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class HuggingFaceJsonTokenizer implements Tokenizer, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where BOS and EOS come from: an id (as in {@code config.json}) or else a token text (as in
     * {@code tokenizer_config.json}). Without any BOS the EOS doubles as BOS, as in GPT-2 style vocabularies.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record SpecialTokens(OptionalInt bosId, OptionalInt eosId, Optional<String> bosText,
                                Optional<String> eosText) {
        public SpecialTokens {
            Objects.requireNonNull(bosId, "bosId");
            Objects.requireNonNull(eosId, "eosId");
            Objects.requireNonNull(bosText, "bosText");
            Objects.requireNonNull(eosText, "eosText");
        }

        public static SpecialTokens ids(int bos, int eos) {
            return new SpecialTokens(OptionalInt.of(bos), OptionalInt.of(eos), Optional.empty(), Optional.empty());
        }
    }

    private final byte[] json;
    private final HuggingFaceTokenizer tokenizer;
    private final int vocabSize;
    private final int bos;
    private final int eos;

    private HuggingFaceJsonTokenizer(byte[] json, HuggingFaceTokenizer tokenizer, int vocabSize, int bos, int eos) {
        this.json = json;
        this.tokenizer = tokenizer;
        this.vocabSize = vocabSize;
        this.bos = bos;
        this.eos = eos;
    }

    /**
     * Loads the tokenizer from the bytes of a {@code tokenizer.json}.
     *
     * @throws IllegalArgumentException when the JSON is not a tokenizer or the special tokens cannot be resolved
     */
    public static HuggingFaceJsonTokenizer fromJson(byte[] tokenizerJson, SpecialTokens specials) {
        Objects.requireNonNull(tokenizerJson, "tokenizerJson");
        Objects.requireNonNull(specials, "specials");
        Map<String, Integer> vocabulary = vocabulary(tokenizerJson);
        int vocabSize = vocabulary.values().stream().mapToInt(Integer::intValue).max().orElse(-1) + 1;
        OptionalInt eos = resolve("EOS", specials.eosId(), specials.eosText(), vocabulary, vocabSize);
        if (eos.isEmpty()) {
            throw new IllegalArgumentException("no EOS token: give eos_token_id in config.json or eos_token in"
                    + " tokenizer_config.json");
        }
        OptionalInt bos = resolve("BOS", specials.bosId(), specials.bosText(), vocabulary, vocabSize);
        HuggingFaceTokenizer library;
        try {
            library = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson),
                    Map.of("truncation", "false", "padding", "false"));
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the tokenizers library rejects this tokenizer.json: "
                    + e.getMessage(), e);
        }
        return new HuggingFaceJsonTokenizer(tokenizerJson.clone(), library, vocabSize, bos.orElse(eos.getAsInt()),
                eos.getAsInt());
    }

    private static OptionalInt resolve(String what, OptionalInt id, Optional<String> text,
                                       Map<String, Integer> vocabulary, int vocabSize) {
        if (id.isPresent()) {
            if (id.getAsInt() < 0 || id.getAsInt() >= vocabSize) {
                throw new IllegalArgumentException(what + " id " + id.getAsInt() + " is outside the vocabulary [0, "
                        + vocabSize + ")");
            }
            return id;
        }
        if (text.isPresent()) {
            Integer found = vocabulary.get(text.get());
            if (found == null) {
                throw new IllegalArgumentException(what + " token '" + text.get() + "' is not in the vocabulary");
            }
            return OptionalInt.of(found);
        }
        return OptionalInt.empty();
    }

    /** Every token text with its id: the model's vocabulary and the added tokens. */
    private static Map<String, Integer> vocabulary(byte[] tokenizerJson) {
        JsonNode root;
        try {
            root = JSON.readTree(tokenizerJson);
        } catch (IOException e) {
            throw new IllegalArgumentException("tokenizer.json is not valid JSON: " + e.getMessage(), e);
        }
        JsonNode vocab = root == null ? null : root.path("model").get("vocab");
        if (vocab == null || !(vocab.isObject() || vocab.isArray())) {
            throw new IllegalArgumentException("tokenizer.json has no model.vocab (object or array)");
        }
        Map<String, Integer> ids = new HashMap<>();
        if (vocab.isObject()) {
            vocab.properties().forEach(e -> ids.put(e.getKey(), e.getValue().asInt()));
        } else {
            // Unigram: [[piece, score], ...], the id is the position
            for (int i = 0; i < vocab.size(); i++) {
                ids.put(vocab.get(i).path(0).asText(), i);
            }
        }
        root.path("added_tokens").forEach(t -> ids.put(t.path("content").asText(), t.path("id").asInt()));
        return ids;
    }

    /** The {@code tokenizer.json} this tokenizer was loaded from, to save it beside a checkpoint. */
    public byte[] json() {
        return json.clone();
    }

    @Override
    public int vocabSize() {
        return vocabSize;
    }

    @Override
    public int bos() {
        return bos;
    }

    @Override
    public int eos() {
        return eos;
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        Objects.requireNonNull(text, "text");
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int offset = addBos ? 1 : 0;
        int[] out = new int[ids.length + offset];
        if (addBos) {
            out[0] = bos;
        }
        for (int i = 0; i < ids.length; i++) {
            out[i + offset] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** Special tokens (BOS, EOS and the tokenizer's other added special tokens) decode to nothing. */
    @Override
    public String decode(int[] ids) {
        Objects.requireNonNull(ids, "ids");
        long[] text = new long[ids.length];
        int n = 0;
        for (int id : ids) {
            if (id < 0 || id >= vocabSize) {
                throw new IllegalArgumentException("token id " + id + " is outside the vocabulary [0, "
                        + vocabSize + ")");
            }
            // BOS and EOS need not be marked special in the JSON, so they are dropped here
            if (id != bos && id != eos) {
                text[n++] = id;
            }
        }
        return tokenizer.decode(java.util.Arrays.copyOf(text, n), true);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    @Override
    public String toString() {
        return "HuggingFaceJsonTokenizer[" + vocabSize + " tokens, bos=" + bos + ", eos=" + eos + "]";
    }
}

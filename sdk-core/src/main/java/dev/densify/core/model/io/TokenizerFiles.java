package dev.densify.core.model.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.model.tokenizer.HuggingFaceJsonTokenizer;
import dev.densify.core.model.tokenizer.HuggingFaceJsonTokenizer.SpecialTokens;
import dev.densify.core.model.tokenizer.PieceType;
import dev.densify.core.model.tokenizer.SentencePieceBpeTokenizer;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Tokenizer files beside a checkpoint: Hugging Face {@code tokenizer.json} (special tokens from {@code config.json}
 * or {@code tokenizer_config.json}) and densify's own {@value #DENSIFY_FILE}, which stores the byte tokenizer and
 * SentencePiece-style BPE vocabularies losslessly:
 * <pre>
 * {"format": "densify-tokenizer", "version": 1, "type": "byte"}
 * {"format": "densify-tokenizer", "version": 1, "type": "sentencepiece-bpe", "bos": 1, "eos": 2, "unk": 0,
 *  "add_dummy_prefix": true, "pieces": ["&lt;unk&gt;", ...], "scores": [0.0, ...], "types": ["UNKNOWN", ...]}
 * </pre>
 * Pieces hold spaces as {@code ' '}; scores are float32 written in their shortest exact decimal form.
 */
final class TokenizerFiles {
    static final String HF_FILE = "tokenizer.json";
    static final String DENSIFY_FILE = "densify-tokenizer.json";
    private static final String FORMAT = "densify-tokenizer";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int NEGATIVE_ZERO_BITS = Float.floatToRawIntBits(-0.0f);
    private static final String NEGATIVE_ZERO = "-0.0";

    /** A score as written: a decimal (parsed exactly), or the string "-0.0", which no decimal can hold. */
    private static float score(JsonNode node) {
        if (node.isTextual() && node.asText().equals(NEGATIVE_ZERO)) {
            return -0.0f;
        }
        return node.decimalValue().floatValue();
    }

    /** Decimal numbers parse exactly, so a float score comes back with the same bits. */
    private static final ObjectReader EXACT = JSON.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private TokenizerFiles() {}

    /** The tokenizer in {@code folder}, if it holds one of the known files. */
    static Optional<Tokenizer> readFolder(Path folder) throws IOException {
        if (Files.isRegularFile(folder.resolve(HF_FILE))) {
            return Optional.of(readHuggingFace(folder.resolve(HF_FILE)));
        }
        if (Files.isRegularFile(folder.resolve(DENSIFY_FILE))) {
            return Optional.of(readDensify(folder.resolve(DENSIFY_FILE)));
        }
        return Optional.empty();
    }

    /** A {@code tokenizer.json}, with BOS/EOS from the {@code config.json} or {@code tokenizer_config.json} beside it. */
    static HuggingFaceJsonTokenizer readHuggingFace(Path tokenizerJson) throws IOException {
        Path folder = tokenizerJson.toAbsolutePath().getParent();
        JsonNode config = readJsonIfPresent(folder.resolve("config.json"));
        JsonNode tokenizerConfig = readJsonIfPresent(folder.resolve("tokenizer_config.json"));
        SpecialTokens specials = new SpecialTokens(tokenId(config.path("bos_token_id")),
                tokenId(config.path("eos_token_id")), tokenText(tokenizerConfig.path("bos_token")),
                tokenText(tokenizerConfig.path("eos_token")));
        byte[] json = JsonFiles.bytes(tokenizerJson);
        try {
            return HuggingFaceJsonTokenizer.fromJson(json, specials);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(tokenizerJson, e.getMessage(), e);
        }
    }

    private static OptionalInt tokenId(JsonNode node) {
        JsonNode id = node.isArray() ? node.path(0) : node;
        return id.isIntegralNumber() ? OptionalInt.of(id.asInt()) : OptionalInt.empty();
    }

    private static Optional<String> tokenText(JsonNode node) {
        JsonNode text = node.isObject() ? node.path("content") : node;
        return text.isTextual() ? Optional.of(text.asText()) : Optional.empty();
    }

    static Tokenizer readDensify(Path file) throws IOException {
        JsonNode root = JsonFiles.read(file, EXACT);
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != 1) {
            throw new ModelFormatException(file, "expected \"format\": \"" + FORMAT + "\" and \"version\": 1");
        }
        String type = root.path("type").asText();
        switch (type) {
            case "byte":
                return new ByteTokenizer();
            case "sentencepiece-bpe":
                JsonNode pieces = root.path("pieces");
                JsonNode scores = root.path("scores");
                JsonNode types = root.path("types");
                if (!pieces.isArray() || !scores.isArray() || !types.isArray()) {
                    throw new ModelFormatException(file, "a sentencepiece-bpe tokenizer needs arrays 'pieces', "
                            + "'scores' and 'types'");
                }
                List<String> pieceList = new ArrayList<>();
                pieces.forEach(p -> pieceList.add(p.asText()));
                float[] scoreArray = new float[scores.size()];
                for (int i = 0; i < scoreArray.length; i++) {
                    scoreArray[i] = score(scores.get(i));
                }
                try {
                    List<PieceType> typeList = new ArrayList<>();
                    types.forEach(t -> typeList.add(PieceType.valueOf(t.asText())));
                    return new SentencePieceBpeTokenizer(pieceList, scoreArray, typeList, root.path("bos").asInt(-1),
                            root.path("eos").asInt(-1), root.path("unk").asInt(-1),
                            root.path("add_dummy_prefix").asBoolean(true));
                } catch (IllegalArgumentException e) {
                    throw new ModelFormatException(file, "bad sentencepiece-bpe tokenizer: " + e.getMessage(), e);
                }
            default:
                throw new ModelFormatException(file, "tokenizer type '" + type + "' is unknown, expected 'byte' or "
                        + "'sentencepiece-bpe'");
        }
    }

    /**
     * Writes the tokenizer into {@code folder} in the file its kind calls for.
     *
     * @return the file written, or empty when this kind of tokenizer has no file format
     */
    static Optional<Path> write(Tokenizer tokenizer, Path folder) throws IOException {
        if (tokenizer instanceof HuggingFaceJsonTokenizer hf) {
            return Optional.of(Files.write(folder.resolve(HF_FILE), hf.json()));
        }
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT).put("version", 1);
        if (tokenizer instanceof ByteTokenizer) {
            root.put("type", "byte");
        } else if (tokenizer instanceof SentencePieceBpeTokenizer sp) {
            root.put("type", "sentencepiece-bpe").put("bos", sp.bos()).put("eos", sp.eos()).put("unk", sp.unk())
                    .put("add_dummy_prefix", sp.addDummyPrefix());
            ArrayNode pieces = root.putArray("pieces");
            sp.pieces().forEach(pieces::add);
            ArrayNode scores = root.putArray("scores");
            for (float score : sp.scores()) {
                // A decimal has no negative zero: -0.0 is written as the string "-0.0" so that its bits survive.
                if (Float.floatToRawIntBits(score) == NEGATIVE_ZERO_BITS) {
                    scores.add(NEGATIVE_ZERO);
                    continue;
                }
                scores.add(score);
            }
            ArrayNode types = root.putArray("types");
            sp.types().forEach(t -> types.add(t.name()));
        } else {
            return Optional.empty();
        }
        Path file = folder.resolve(DENSIFY_FILE);
        JSON.writeValue(file.toFile(), root);
        return Optional.of(file);
    }

    private static JsonNode readJsonIfPresent(Path file) throws IOException {
        return Files.isRegularFile(file) ? JsonFiles.read(file, JSON.reader()) : JSON.createObjectNode();
    }
}

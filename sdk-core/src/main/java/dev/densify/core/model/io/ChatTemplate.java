package dev.densify.core.model.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A checkpoint's own chat template (Jinja source) with the special tokens it is rendered with: the texts of BOS and
 * EOS (the template's {@code bos_token} and {@code eos_token}) and every special token's text with its id, so that
 * a special token the template writes becomes its id rather than the tokenisation of its characters.
 *
 * <p>Read from a Hugging Face {@code tokenizer_config.json} ({@code chat_template}, a string or the entry named
 * {@code default} of a list; {@code bos_token}, {@code eos_token}; the special entries of
 * {@code added_tokens_decoder}), from a GGUF file ({@code tokenizer.chat_template}; {@code tokenizer.ggml.tokens}
 * of type CONTROL; the BOS and EOS ids), or from a plain {@code .jinja} file (no special tokens beyond the
 * tokenizer's BOS and EOS).
 *
 * @param source the Jinja text
 * @param origin the file it was read from
 * @param bosToken the text of BOS, when the file names one
 * @param eosToken the text of EOS, when the file names one
 * @param specialTokens text of each special token and its id
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record ChatTemplate(String source, Path origin, Optional<String> bosToken, Optional<String> eosToken,
                           Map<String, Integer> specialTokens) {
    /** The Hugging Face file that holds a chat template. */
    public static final String HF_FILE = "tokenizer_config.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public ChatTemplate {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(bosToken, "bosToken");
        Objects.requireNonNull(eosToken, "eosToken");
        specialTokens = Map.copyOf(Objects.requireNonNull(specialTokens, "specialTokens"));
    }

    /**
     * The chat template of a checkpoint or template file: a folder (its {@value #HF_FILE}), a {@code .json} file (a
     * {@value #HF_FILE}), a {@code .jinja} file, a GGUF file, or any other checkpoint file (the {@value #HF_FILE}
     * beside it). Empty when the checkpoint has none.
     *
     * @throws ModelFormatException when the file exists but its template or special tokens are malformed
     */
    public static Optional<ChatTemplate> read(Path fileOrFolder) throws IOException {
        Objects.requireNonNull(fileOrFolder, "fileOrFolder");
        if (Files.isDirectory(fileOrFolder)) {
            Path config = fileOrFolder.resolve(HF_FILE);
            return Files.isRegularFile(config) ? fromTokenizerConfig(config) : Optional.empty();
        }
        if (!Files.isRegularFile(fileOrFolder)) {
            throw new ModelFormatException(fileOrFolder, "no such file or folder");
        }
        String name = fileOrFolder.getFileName().toString();
        if (name.endsWith(".jinja")) {
            return Optional.of(new ChatTemplate(Files.readString(fileOrFolder, StandardCharsets.UTF_8), fileOrFolder,
                    Optional.empty(), Optional.empty(), Map.of()));
        }
        if (name.endsWith(".json")) {
            return fromTokenizerConfig(fileOrFolder);
        }
        if (GgufFormat.isGguf(fileOrFolder)) {
            return GgufFormat.chatTemplate(fileOrFolder);
        }
        Path beside = fileOrFolder.toAbsolutePath().getParent().resolve(HF_FILE);
        return Files.isRegularFile(beside) ? fromTokenizerConfig(beside) : Optional.empty();
    }

    private static Optional<ChatTemplate> fromTokenizerConfig(Path file) throws IOException {
        JsonNode root = JsonFiles.read(file, JSON.reader());
        JsonNode template = root.path("chat_template");
        if (template.isArray()) {
            // several named templates (tool use, RAG): the one for plain conversations is named "default"
            JsonNode named = null;
            for (JsonNode entry : template) {
                if ("default".equals(entry.path("name").asText())) {
                    named = entry.path("template");
                }
            }
            if (named == null) {
                throw new ModelFormatException(file, "chat_template is a list without an entry named 'default'");
            }
            template = named;
        }
        if (template.isMissingNode() || template.isNull()) {
            return Optional.empty();
        }
        if (!template.isTextual()) {
            throw new ModelFormatException(file, "chat_template is " + template.getNodeType()
                    + ", expected a string or a list of {name, template}");
        }
        Map<String, Integer> specials = new LinkedHashMap<>();
        var added = root.path("added_tokens_decoder").properties();
        for (var entry : added) {
            JsonNode token = entry.getValue();
            if (!token.path("special").asBoolean(false)) {
                continue;
            }
            int id;
            try {
                id = Integer.parseInt(entry.getKey());
            } catch (NumberFormatException e) {
                throw new ModelFormatException(file, "added_tokens_decoder key '" + entry.getKey()
                        + "' is not a token id");
            }
            if (id < 0 || !token.path("content").isTextual() || token.path("content").asText().isEmpty()) {
                throw new ModelFormatException(file, "added_tokens_decoder entry " + entry.getKey()
                        + " needs a non-negative id and a non-empty 'content'");
            }
            specials.put(token.path("content").asText(), id);
        }
        return Optional.of(new ChatTemplate(template.asText(), file, tokenText(root.path("bos_token")),
                tokenText(root.path("eos_token")), specials));
    }

    private static Optional<String> tokenText(JsonNode node) {
        JsonNode text = node.isObject() ? node.path("content") : node;
        return text.isTextual() && !text.asText().isEmpty() ? Optional.of(text.asText()) : Optional.empty();
    }
}

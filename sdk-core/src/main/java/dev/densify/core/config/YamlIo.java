package dev.densify.core.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.densify.api.config.ConfigException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Reading and writing configuration YAML, with the settings that make a written tree read back unchanged. */
final class YamlIo {
    // Only true/false are booleans (not YAML 1.1's yes/on/...), duplicate keys are errors, and strings that look
    // like numbers or booleans are quoted on output so they read back as strings.
    private static final ObjectMapper MAPPER = new ObjectMapper(YAMLFactory.builder()
            .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build());

    private YamlIo() {}

    /**
     * A document that must be a map (an empty document is an empty map); {@code source} names it in errors.
     */
    static Map<String, Object> readMap(String text, String source) {
        if (text.isBlank()) {
            return new LinkedHashMap<>();
        }
        Object value = read(text, source);
        if (value == null) {
            return new LinkedHashMap<>();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new ConfigException(source, "must be a map of keys to values, got " + Values.describe(value));
        }
        return Trees.mutableMap(value);
    }

    /** One value as typed on a command line: a YAML scalar or flow collection; blank text is the empty string. */
    static Object readValue(String text, String path) {
        return text.isBlank() ? "" : Trees.normalize(read(text, path));
    }

    private static Object read(String text, String source) {
        try {
            rejectAliases(text, source);
            return Trees.normalize(MAPPER.readValue(text, Object.class));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ConfigException(source, "is not valid YAML" + where + ": " + oneLine(e.getOriginalMessage()));
        }
    }

    /**
     * Jackson reads an alias in an untyped tree as the anchor's name ({@code checkpoint: *agg} became "agg"), so an
     * alias is refused instead of silently misread. Refusing them also rules out alias bombs ("billion laughs")
     * altogether, on top of SnakeYAML's own limit on aliases.
     */
    private static void rejectAliases(String text, String source) throws JsonProcessingException {
        try (JsonParser parser = MAPPER.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
                    JsonLocation at = parser.currentTokenLocation();
                    throw new ConfigException(source, "uses the YAML alias *" + parser.getText() + " (line "
                            + at.getLineNr() + ", column " + at.getColumnNr() + "); aliases are not supported: write"
                            + " the value out in full");
                }
            }
        } catch (JsonProcessingException e) {
            throw e;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("reading YAML from a string cannot fail", e);
        }
    }

    // SnakeYAML's messages quote the offending source under indented lines; the problem itself is unindented.
    private static String oneLine(String message) {
        return message == null ? "" : message.lines().filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
                .collect(Collectors.joining("; "));
    }

    static String write(Map<String, Object> tree) {
        try {
            return MAPPER.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a configuration tree of plain values cannot fail to serialise", e);
        }
    }
}

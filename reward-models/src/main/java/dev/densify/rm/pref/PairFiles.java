package dev.densify.rm.pref;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.densify.api.API;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Preference pairs in JSON (one array of records) or JSON lines (one record a line; blank lines skipped), told
 * apart by the first character. Reading validates every record and reports all problems together, each naming the
 * pair (its {@code pair_id}, or its record number when it has none) and the field. Fields other than the format's
 * are ignored; {@code module_k_all_rounds} may also be an array of strings (one per round, joined by newlines).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class PairFiles {
    static final String PAIR_ID = "pair_id";
    static final String TARGET_MODULE = "target_module";
    static final String TASK = "task";
    static final String POSITIVE = "positive";
    static final String NEGATIVE = "negative";
    static final String CONTEXT = "trajectory_full_context";
    static final String MODULE = "module_k_all_rounds";
    static final String OUTCOME = "outcome";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private PairFiles() {}

    /** Reads and validates the pairs of one file. */
    public static List<PreferencePair> read(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such pairs file: " + file);
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Reads several files as one data set (pair ids must be unique across them). */
    public static List<PreferencePair> read(List<Path> files) throws IOException {
        List<JsonNode> records = new ArrayList<>();
        List<String> where = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new IOException("no such pairs file: " + file);
            }
            List<JsonNode> nodes = records(Files.readString(file, StandardCharsets.UTF_8), file.toString(), problems);
            for (int i = 0; i < nodes.size(); i++) {
                records.add(nodes.get(i));
                where.add(files.size() == 1 ? "record " + (i + 1) : file.getFileName() + " record " + (i + 1));
            }
        }
        return validate(records, where, problems, String.join(", ", files.stream().map(Path::toString).toList()));
    }

    /** Parses and validates the text of a JSON or JSONL pairs file; {@code source} names it in errors. */
    public static List<PreferencePair> parse(String text, String source) {
        List<String> problems = new ArrayList<>();
        List<JsonNode> nodes = records(text, source, problems);
        List<String> where = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            where.add("record " + (i + 1));
        }
        return validate(nodes, where, problems, source);
    }

    private static List<JsonNode> records(String text, String source, List<String> problems) {
        String trimmed = text.strip();
        List<JsonNode> nodes = new ArrayList<>();
        if (trimmed.isEmpty()) {
            problems.add(source + " is empty");
            return nodes;
        }
        if (trimmed.startsWith("[")) {
            try {
                JsonNode array = JSON.readTree(trimmed);
                array.forEach(nodes::add);
            } catch (JsonProcessingException e) {
                problems.add("not valid JSON: " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
            }
            return nodes;
        }
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            try {
                nodes.add(JSON.readTree(lines[i]));
            } catch (JsonProcessingException e) {
                problems.add("line " + (i + 1) + ": not valid JSON: " + e.getOriginalMessage());
            }
        }
        return nodes;
    }

    private static List<PreferencePair> validate(List<JsonNode> records, List<String> where, List<String> problems,
                                                 String source) {
        List<PreferencePair> pairs = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode record = records.get(i);
            if (!record.isObject()) {
                problems.add(where.get(i) + ": expected an object, got " + record.getNodeType().name().toLowerCase());
                continue;
            }
            JsonNode id = record.get(PAIR_ID);
            String name = id != null && id.isTextual() && !id.asText().isBlank()
                    ? "pair '" + id.asText() + "' (" + where.get(i) + ")" : where.get(i);
            List<String> own = new ArrayList<>();
            String pairId = text(record, PAIR_ID, "", own);
            if (pairId != null && seen.putIfAbsent(pairId, where.get(i)) != null) {
                own.add(PAIR_ID + ": '" + pairId + "' repeats the id of " + seen.get(pairId));
            }
            String module = text(record, TARGET_MODULE, "", own);
            String task = text(record, TASK, "", own);
            PreferencePair.Side positive = side(record, POSITIVE, own);
            PreferencePair.Side negative = side(record, NEGATIVE, own);
            own.forEach(p -> problems.add(name + ": " + p));
            if (own.isEmpty()) {
                pairs.add(new PreferencePair(pairId, module, task, positive, negative));
            }
        }
        if (!problems.isEmpty()) {
            throw new PairFormatException(source, problems);
        }
        if (pairs.isEmpty()) {
            throw new PairFormatException(source, List.of("no pairs"));
        }
        return pairs;
    }

    /** A required non-blank string field; null (with a problem) otherwise. */
    private static String text(JsonNode parent, String field, String prefix, List<String> problems) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            problems.add(prefix + field + ": missing");
            return null;
        }
        if (!value.isTextual()) {
            problems.add(prefix + field + ": expected a string, got " + describe(value));
            return null;
        }
        if (value.asText().isBlank()) {
            problems.add(prefix + field + ": is empty");
            return null;
        }
        return value.asText();
    }

    private static PreferencePair.Side side(JsonNode record, String field, List<String> problems) {
        JsonNode node = record.get(field);
        if (node == null || node.isNull()) {
            problems.add(field + ": missing");
            return null;
        }
        if (!node.isObject()) {
            problems.add(field + ": expected an object of " + CONTEXT + ", " + MODULE + ", " + OUTCOME + ", got "
                    + describe(node));
            return null;
        }
        String prefix = field + ".";
        int before = problems.size();
        String context = text(node, CONTEXT, prefix, problems);
        String module = moduleText(node, prefix, problems);
        JsonNode outcome = node.get(OUTCOME);
        if (outcome == null || outcome.isNull()) {
            problems.add(prefix + OUTCOME + ": missing");
        }
        if (problems.size() > before) {
            return null;
        }
        return new PreferencePair.Side(context, module, JSON.convertValue(outcome, Object.class));
    }

    private static String moduleText(JsonNode side, String prefix, List<String> problems) {
        JsonNode value = side.get(MODULE);
        if (value != null && value.isArray()) {
            List<String> rounds = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                if (!value.get(i).isTextual()) {
                    problems.add(prefix + MODULE + "[" + i + "]: expected a string, got " + describe(value.get(i)));
                } else {
                    rounds.add(value.get(i).asText());
                }
            }
            if (value.isEmpty()) {
                problems.add(prefix + MODULE + ": is an empty array");
            }
            return String.join("\n", rounds);
        }
        return text(side, MODULE, prefix, problems);
    }

    private static String describe(JsonNode value) {
        String type = value.getNodeType().name().toLowerCase();
        String shown = value.toString();
        return type + " " + (shown.length() > 40 ? shown.substring(0, 40) + "..." : shown);
    }

    /** Writes pairs as JSON lines, one record a line, in the format {@link #read} accepts. */
    public static void writeJsonLines(Path file, List<PreferencePair> pairs) throws IOException {
        Objects.requireNonNull(pairs, "pairs");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (PreferencePair pair : pairs) {
                out.write(JSON.writeValueAsString(toJson(pair)));
                out.newLine();
            }
        }
    }

    /** Writes pairs as one JSON array. */
    public static void writeJsonArray(Path file, List<PreferencePair> pairs) throws IOException {
        List<ObjectNode> nodes = pairs.stream().map(PairFiles::toJson).toList();
        Files.writeString(file, JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(nodes),
                StandardCharsets.UTF_8);
    }

    static ObjectNode toJson(PreferencePair pair) {
        ObjectNode node = JSON.createObjectNode();
        node.put(PAIR_ID, pair.pairId());
        node.put(TARGET_MODULE, pair.targetModule());
        node.put(TASK, pair.task());
        node.set(POSITIVE, toJson(pair.positive()));
        node.set(NEGATIVE, toJson(pair.negative()));
        return node;
    }

    private static ObjectNode toJson(PreferencePair.Side side) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put(CONTEXT, side.trajectoryFullContext());
        fields.put(MODULE, side.moduleKAllRounds());
        fields.put(OUTCOME, side.outcome());
        return JSON.valueToTree(fields);
    }
}

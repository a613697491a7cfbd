package dev.densify.rm.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.densify.api.API;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Reads logged interactions from JSONL ({@code .jsonl}, {@code .ndjson}: one JSON object per line) or CSV
 * ({@code .csv}: a header row naming the columns, RFC 4180 quoting, so fields may hold commas, quotes and newlines).
 * The keys or columns are those of {@link LogField}; other keys are ignored.
 *
 * <p>Missing: an absent key, JSON {@code null}, or an empty CSV cell; for the numbers (reward, step) also
 * {@code NA}, {@code NaN}, {@code null} and {@code None} in any case. In JSONL a state, action or next state that is
 * not a string (an object, say) is taken as its compact JSON text. A reward that is present but not a finite number,
 * or a step that is not a non-negative integer, is an error naming file, line and field.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class LogReader {
    private static final Set<String> MISSING_NUMBERS = Set.of("", "na", "nan", "null", "none");
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogReader() {}

    /** Every record of {@code file}, in file order. */
    public static List<RawRecord> read(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new LogFormatException(file + ": no such log file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
                return readJsonLines(file);
            }
            if (name.endsWith(".csv")) {
                return readCsv(file);
            }
        } catch (CharacterCodingException e) {
            throw new LogFormatException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new LogFormatException(file + ": cannot be read: " + e.getMessage(), e);
        }
        throw new LogFormatException(file + ": unknown log format; expected a .jsonl, .ndjson or .csv file");
    }

    /** The records of several files, in the order given. */
    public static List<RawRecord> read(List<Path> files) {
        List<RawRecord> all = new ArrayList<>();
        files.forEach(f -> all.addAll(read(f)));
        return List.copyOf(all);
    }

    private static List<RawRecord> readJsonLines(Path file) throws IOException {
        List<RawRecord> records = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String origin = file + ":" + number;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new LogFormatException(origin + ": not a JSON object: " + e.getOriginalMessage(), e);
                }
                if (node == null || !node.isObject()) {
                    throw new LogFormatException(origin + ": expected a JSON object with the fields "
                            + LogField.keys() + ", got " + (node == null ? "nothing" : node.getNodeType()));
                }
                records.add(fromJson(origin, node));
            }
        }
        return records;
    }

    private static RawRecord fromJson(String origin, JsonNode node) {
        EnumMap<LogField, String> text = new EnumMap<>(LogField.class);
        Double reward = null;
        Long step = null;
        for (LogField field : LogField.values()) {
            JsonNode v = node.get(field.key());
            if (v == null || v.isNull() || v.isMissingNode()) {
                continue;
            }
            switch (field) {
                case REWARD -> reward = v.isNumber() || v.isBoolean() ? number(origin, field, v.isBoolean()
                        ? (v.booleanValue() ? 1.0 : 0.0) : v.doubleValue(), v.toString())
                        : v.isTextual() ? parseReward(origin, v.textValue()) : fail(origin, field,
                                "expected a number, got " + describe(v));
                case STEP -> step = v.isIntegralNumber() ? step(origin, v.longValue(), v.toString())
                        : v.isTextual() ? parseStep(origin, v.textValue()) : fail(origin, field,
                                "expected a non-negative integer, got " + describe(v));
                case STATE, ACTION, NEXT_STATE -> text.put(field, v.isTextual() ? v.textValue() : v.toString());
                default -> {
                    if (v.isContainerNode()) {
                        fail(origin, field, "expected a string or a number, got " + describe(v));
                    }
                    text.put(field, v.asText());
                }
            }
        }
        return RawRecord.of(origin, text, reward, step);
    }

    private static List<RawRecord> readCsv(Path file) throws IOException {
        CsvMapper mapper = new CsvMapper();
        List<RawRecord> records = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             MappingIterator<String[]> rows = mapper.readerFor(String[].class)
                     .with(CsvParser.Feature.WRAP_AS_ARRAY).readValues(reader)) {
            if (!rows.hasNext()) {
                throw new LogFormatException(file + ": empty CSV file; expected a header row naming the columns "
                        + LogField.keys());
            }
            String[] header = rows.next();
            Map<Integer, LogField> columns = new java.util.HashMap<>();
            Set<LogField> seen = new HashSet<>();
            for (int c = 0; c < header.length; c++) {
                LogField field = LogField.ofKey(header[c].trim().toLowerCase(Locale.ROOT));
                if (field != null) {
                    if (!seen.add(field)) {
                        throw new LogFormatException(file + ":1: column " + field.key() + " appears twice");
                    }
                    columns.put(c, field);
                }
            }
            for (LogField required : List.of(LogField.STATE, LogField.ACTION, LogField.REWARD)) {
                if (!seen.contains(required)) {
                    throw new LogFormatException(file + ":1: no column " + required.key() + "; the header has "
                            + List.of(header) + ", and the columns read are " + LogField.keys()
                            + " (state, action and reward are required)");
                }
            }
            long line = rows.getCurrentLocation().getLineNr();
            while (true) {
                boolean more;
                String[] row;
                try {
                    more = rows.hasNextValue();
                    row = more ? rows.nextValue() : null;
                } catch (IOException e) {
                    throw new LogFormatException(file + ":" + line + ": not a CSV row: " + e.getMessage(), e);
                }
                if (!more) {
                    break;
                }
                String origin = file + ":" + line;
                line = rows.getCurrentLocation().getLineNr();
                if (row.length == 1 && row[0].isEmpty()) {
                    continue; // a blank line
                }
                if (row.length != header.length) {
                    throw new LogFormatException(origin + ": the row has " + row.length + " fields but the header has "
                            + header.length);
                }
                records.add(fromCsv(origin, row, columns));
            }
        }
        return records;
    }

    private static RawRecord fromCsv(String origin, String[] row, Map<Integer, LogField> columns) {
        EnumMap<LogField, String> text = new EnumMap<>(LogField.class);
        Double reward = null;
        Long step = null;
        for (Map.Entry<Integer, LogField> column : columns.entrySet()) {
            String v = row[column.getKey()];
            LogField field = column.getValue();
            switch (field) {
                case REWARD -> reward = parseReward(origin, v);
                case STEP -> step = parseStep(origin, v);
                default -> {
                    if (!v.isEmpty()) {
                        text.put(field, v);
                    }
                }
            }
        }
        return RawRecord.of(origin, text, reward, step);
    }

    private static Double parseReward(String origin, String v) {
        String s = v.trim();
        if (MISSING_NUMBERS.contains(s.toLowerCase(Locale.ROOT))) {
            return null;
        }
        try {
            return number(origin, LogField.REWARD, Double.parseDouble(s), v);
        } catch (NumberFormatException e) {
            return fail(origin, LogField.REWARD, "expected a number, got '" + v + "'");
        }
    }

    private static Long parseStep(String origin, String v) {
        String s = v.trim();
        if (MISSING_NUMBERS.contains(s.toLowerCase(Locale.ROOT))) {
            return null;
        }
        try {
            return step(origin, Long.parseLong(s), v);
        } catch (NumberFormatException e) {
            return fail(origin, LogField.STEP, "expected a non-negative integer, got '" + v + "'");
        }
    }

    private static Double number(String origin, LogField field, double value, String text) {
        if (!Double.isFinite(value)) {
            fail(origin, field, "expected a finite number, got " + text);
        }
        return value;
    }

    private static Long step(String origin, long value, String text) {
        if (value < 0) {
            fail(origin, LogField.STEP, "expected a non-negative integer, got " + text);
        }
        return value;
    }

    private static String describe(JsonNode v) {
        return v.getNodeType() == JsonNodeType.STRING ? "'" + v.textValue() + "'"
                : v.getNodeType().name().toLowerCase(Locale.ROOT) + " " + v;
    }

    private static <T> T fail(String origin, LogField field, String problem) {
        throw new LogFormatException(origin + ": field " + field.key() + ": " + problem);
    }
}

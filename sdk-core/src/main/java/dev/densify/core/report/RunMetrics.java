package dev.densify.core.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's {@code metrics.jsonl} as columns, read tolerantly: a report is written while the run appends, so a
 * half-written last line is skipped; keys that appear only in later lines, non-numbers and NaN become missing
 * points rather than errors.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class RunMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(RunMetrics.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, Object>> rows;

    RunMetrics(List<Map<String, Object>> rows) {
        this.rows = List.copyOf(rows);
    }

    /** Reads {@code metrics.jsonl} of the run folder; no file gives no rows. */
    public static RunMetrics read(Path runFolder) {
        Path file = runFolder.resolve("metrics.jsonl");
        List<Map<String, Object>> rows = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return new RunMetrics(rows);
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> row = JSON.readValue(line, Map.class);
                rows.add(row);
            } catch (IOException e) {
                LOG.debug("skipping an unreadable line of {}: {}", file, e.getMessage());
            }
        }
        return new RunMetrics(rows);
    }

    public int size() {
        return rows.size();
    }

    /** The iteration of every row (its index when a row lacks one). */
    public double[] iterations() {
        double[] x = new double[rows.size()];
        for (int i = 0; i < x.length; i++) {
            Double v = number(rows.get(i).get("iteration"));
            x[i] = v != null ? v : i;
        }
        return x;
    }

    /** Keys whose values are numbers (or booleans, or "NaN") in some row, in order of first appearance. */
    public Set<String> scalarKeys() {
        Set<String> keys = new LinkedHashSet<>();
        for (Map<String, Object> row : rows) {
            row.forEach((k, v) -> {
                if (v instanceof Number || v instanceof Boolean || "NaN".equals(v)) {
                    keys.add(k);
                }
            });
        }
        return keys;
    }

    /** The column of a scalar key; booleans are 0 or 1; missing and non-finite values are null. */
    public Double[] column(String key) {
        Double[] y = new Double[rows.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = number(rows.get(i).get(key));
        }
        return y;
    }

    /** Keys of a map-valued metric ({@code failures}: reason → count) over all rows, sorted. */
    public Set<String> mapKeys(String key) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            if (row.get(key) instanceof Map<?, ?> m) {
                m.keySet().forEach(k -> out.add(String.valueOf(k)));
            }
        }
        return out;
    }

    /** One entry of a map-valued metric per row; a row that has the map but not the entry counts 0. */
    public Double[] mapColumn(String key, String entry) {
        Double[] y = new Double[rows.size()];
        for (int i = 0; i < y.length; i++) {
            if (rows.get(i).get(key) instanceof Map<?, ?> m) {
                Double v = number(m.get(entry));
                y[i] = v != null ? v : 0.0;
            }
        }
        return y;
    }

    /** A list-valued metric of one row ({@code value_by_step}); empty if absent. */
    public List<Double> list(int row, String key) {
        List<Double> out = new ArrayList<>();
        if (rows.get(row).get(key) instanceof List<?> l) {
            l.forEach(v -> out.add(number(v)));
        }
        return out;
    }

    static Double number(Object v) {
        if (v instanceof Boolean b) {
            return b ? 1.0 : 0.0;
        }
        if (v instanceof Number n && Double.isFinite(n.doubleValue())) {
            return n.doubleValue();
        }
        return null;
    }
}

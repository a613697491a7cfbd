package dev.densify.core.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's folder: {@code config.yaml}, {@code metrics.jsonl}, {@code checkpoints/}, {@code trajectories/}.
 * Metrics lines are appended and flushed one per iteration, so a killed run loses at most the iteration in flight.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RunFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public RunFolder(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        try {
            Files.createDirectories(root.resolve("checkpoints"));
            Files.createDirectories(root.resolve("trajectories"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + root, e);
        }
    }

    public Path root() {
        return root;
    }

    public Path metricsFile() {
        return root.resolve("metrics.jsonl");
    }

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path trajectories() {
        return root.resolve("trajectories");
    }

    public void appendMetrics(Map<String, Object> line) {
        try (BufferedWriter out = Files.newBufferedWriter(metricsFile(), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            out.write(JSON.writeValueAsString(line));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + metricsFile(), e);
        }
    }

    /** All metrics lines written so far. */
    public List<Map<String, Object>> readMetrics() {
        List<Map<String, Object>> lines = new ArrayList<>();
        if (!Files.exists(metricsFile())) {
            return lines;
        }
        try {
            for (String line : Files.readAllLines(metricsFile(), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> parsed = JSON.readValue(line, Map.class);
                    lines.add(parsed);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metricsFile(), e);
        }
        return lines;
    }

    /** Keeps only the metrics of iterations up to {@code iteration}: a resumed run rewrites what followed. */
    public void truncateMetricsAfter(int iteration) {
        List<Map<String, Object>> kept = readMetrics().stream()
                .filter(m -> ((Number) m.get("iteration")).intValue() <= iteration).toList();
        try {
            Files.deleteIfExists(metricsFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite " + metricsFile(), e);
        }
        kept.forEach(this::appendMetrics);
    }
}

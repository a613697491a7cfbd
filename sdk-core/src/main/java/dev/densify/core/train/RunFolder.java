package dev.densify.core.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's folder: {@code config.yaml}, {@code metrics.jsonl}, {@code checkpoints/}, {@code trajectories/}. A folder
 * belongs to one run: {@link #fresh} refuses a folder that holds anything. Each metrics line is appended with one
 * write and forced to disk, so a killed run leaves at most a torn last line, which {@link #truncateMetricsAfter}
 * (called on resume) cuts.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RunFolder {
    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What a folder written by a run holds; {@link #clear} refuses to empty a folder with none of these. */
    private static final List<String> RUN_ENTRIES = List.of("config.yaml", "metrics.jsonl", "checkpoints",
            "trajectories");

    private final Path root;

    /** Opens the run folder at {@code root}, creating it when missing (to read it, or to continue its run). */
    public RunFolder(Path root) {
        this.root = Objects.requireNonNull(root, "root");
        try {
            Files.createDirectories(root.resolve("checkpoints"));
            Files.createDirectories(root.resolve("trajectories"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + root, e);
        }
    }

    /**
     * The folder of a new run: {@code root} must be missing or empty, because files of an earlier run would be
     * mixed with this one's (its metrics appended to, its checkpoints resumed from).
     */
    public static RunFolder fresh(Path root) {
        requireUnused(root);
        return new RunFolder(root);
    }

    /** Fails unless {@code root} is missing or an empty folder, naming what is in it and the ways out. */
    public static void requireUnused(Path root) {
        Objects.requireNonNull(root, "root");
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new RunFolderException(root + " is a file, not a folder; a run needs a new or empty folder");
        }
        List<String> entries = entries(root);
        if (!entries.isEmpty()) {
            throw new RunFolderException(root + " already holds " + describe(entries) + "; a run folder belongs to one"
                    + " run: choose another folder, continue the run there, or clear it first");
        }
    }

    /**
     * Empties a folder an earlier run wrote, so that a new run can start there. A folder that holds none of a run's
     * files is refused: clearing it would delete someone's other files.
     *
     * @return whether anything was deleted
     */
    public static boolean clear(Path root) {
        Objects.requireNonNull(root, "root");
        List<String> entries = entries(root);
        if (entries.isEmpty()) {
            return false;
        }
        if (entries.stream().noneMatch(RUN_ENTRIES::contains)) {
            throw new RunFolderException(root + " holds " + describe(entries) + " but no run (none of " + RUN_ENTRIES
                    + "); only a run folder is cleared");
        }
        try (Stream<Path> children = Files.list(root)) {
            for (Path child : children.toList()) {
                deleteRecursively(child);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + root, e);
        }
        LOG.info("cleared {} ({}) for a new run", root, describe(entries));
        return true;
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
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("metrics line cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        // One write of the whole line, then force: resume trusts every complete line, so a line must reach the
        // disk before the checkpoint that follows it, and a crash can tear only the line in flight.
        try (FileChannel out = FileChannel.open(metricsFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + metricsFile(), e);
        }
    }

    /** All metrics lines written so far; a torn last line (an interrupted run) is an error until resume cuts it. */
    public List<Map<String, Object>> readMetrics() {
        Lines lines = lines();
        if (!lines.tornTail().isEmpty()) {
            throw new RunFolderException(metricsFile() + ": line " + (lines.complete().size() + 1) + " is torn (the"
                    + " run was interrupted while writing it); resuming the run cuts it");
        }
        return parse(lines.complete());
    }

    /** The metrics lines written so far, typed; as {@link #readMetrics}. */
    public List<IterationMetrics> readIterationMetrics() {
        return readMetrics().stream().map(IterationMetrics::fromMap).toList();
    }

    /**
     * Keeps only the metrics of iterations up to {@code iteration} (the checkpoint resumed from): a resumed run
     * rewrites what followed. A torn last line is cut, and both cuts are logged. The file is replaced atomically.
     */
    public void truncateMetricsAfter(int iteration) {
        Lines lines = lines();
        if (!lines.tornTail().isEmpty()) {
            LOG.warn("{}: cut a torn last line of {} bytes left by an interrupted write: {}", metricsFile(),
                    lines.tornTail().getBytes(StandardCharsets.UTF_8).length, abbreviate(lines.tornTail()));
        }
        List<Map<String, Object>> parsed = parse(lines.complete());
        List<Map<String, Object>> kept = new ArrayList<>();
        List<Object> dropped = new ArrayList<>();
        for (Map<String, Object> m : parsed) {
            if (m.get("iteration") instanceof Number n && n.intValue() <= iteration) {
                kept.add(m);
            } else {
                dropped.add(m.get("iteration"));
            }
        }
        if (!dropped.isEmpty()) {
            LOG.info("{}: dropped the metrics of iterations {} after checkpoint {}; they run again", metricsFile(),
                    dropped, iteration);
        }
        if (dropped.isEmpty() && lines.tornTail().isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        try {
            for (Map<String, Object> m : kept) {
                text.append(JSON.writeValueAsString(m)).append('\n');
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("metrics read from JSON cannot fail to serialise", e);
        }
        writeAtomically(metricsFile(), text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Replaces {@code file} with {@code bytes} so that a reader sees the old or the new content, never a mix. */
    static void writeAtomically(Path file, byte[] bytes) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temporary, e);
        }
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file, e);
        }
    }

    /** The complete (newline-terminated) lines of the metrics file, and what follows the last newline. */
    private record Lines(List<String> complete, String tornTail) {}

    private Lines lines() {
        if (!Files.exists(metricsFile())) {
            return new Lines(List.of(), "");
        }
        String text;
        try {
            text = Files.readString(metricsFile(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + metricsFile(), e);
        }
        int end = text.lastIndexOf('\n') + 1;
        return new Lines(text.substring(0, end).lines().toList(), text.substring(end));
    }

    private List<Map<String, Object>> parse(List<String> lines) {
        List<Map<String, Object>> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            try {
                @SuppressWarnings("unchecked")
                Map<String, Object> line = JSON.readValue(lines.get(i), Map.class);
                parsed.add(line);
            } catch (IOException e) {
                throw new RunFolderException(metricsFile() + ": line " + (i + 1) + " is not a JSON object of metrics ("
                        + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()) + ")", e);
            }
        }
        return parsed;
    }

    private static List<String> entries(Path root) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(root)) {
            return children.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    private static String describe(List<String> entries) {
        return entries.size() <= 4 ? String.join(", ", entries)
                : String.join(", ", entries.subList(0, 4)) + " and " + (entries.size() - 4) + " more";
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }

    private static void deleteRecursively(Path path) throws IOException {
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

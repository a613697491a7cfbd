package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The packaged {@code densify} command (integration tests run after package, with its plugins in target/lib beside
 * it) started as child processes in one folder: each process, started under a name, writes {@code <name>.out} and
 * {@code <name>.err} there, which the waits quote when a process ends early or not at all.
 */
public final class DensifyProcesses {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JAR = Path.of(System.getProperty("basedir", "."), "target", "densify.jar")
            .toAbsolutePath();
    private static final Duration AWAIT = Duration.ofSeconds(150);

    private final Path dir;
    private final Duration finishWithin;
    private final List<String> jvmOptions;

    /**
     * @param dir the working folder of every process, where their output goes
     * @param finishWithin how long {@link #assertFinished} waits for a process
     * @param jvmOptions options for each JVM beside {@code -Dai.djl.offline=true}
     */
    public DensifyProcesses(Path dir, Duration finishWithin, String... jvmOptions) {
        this.dir = Objects.requireNonNull(dir, "dir");
        this.finishWithin = Objects.requireNonNull(finishWithin, "finishWithin");
        this.jvmOptions = List.of(jvmOptions);
    }

    /** The packaged command, which a test needs before it can start any process. */
    public static Path jar() {
        return JAR;
    }

    /** {@code densify <args>} as the process {@code name}. */
    public Process start(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    /**
     * {@code densify worker} named {@code id} (its process too) for the run {@code config} describes, on the Redis
     * of its {@code buffer.url=} override, stopping after {@code maxSeconds} at the latest.
     */
    public Process worker(String id, List<String> config, int maxSeconds) throws IOException {
        String url = config.stream().filter(c -> c.startsWith("buffer.url=")).findFirst().orElseThrow()
                .substring("buffer.url=".length());
        return start(id, with(List.of("worker", "--redis", url, "--id", id, "--max-seconds",
                Integer.toString(maxSeconds)), config));
    }

    /** Waits for the process to end (killing it after the wait) and asserts that it ended with exit code 0. */
    public void assertFinished(Process process, String name) throws Exception {
        boolean done = process.waitFor(finishWithin.toSeconds(), TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly().waitFor();
        }
        assertTrue(done, name + " did not finish: " + tail(name));
        assertEquals(0, process.exitValue(), name + " failed: " + tail(name));
    }

    /** Waits until {@code name}'s log holds {@code text}, failing when the process ends first or after 150 s. */
    public void awaitLog(String name, String text, Process process) throws Exception {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        Path file = dir.resolve(name + ".err");
        while (!Files.readString(file).contains(text)) {
            assertTrue(process.isAlive(), name + " stopped early: " + tail(name));
            assertTrue(System.nanoTime() < deadline, name + " did not log '" + text + "' in 150 s: " + tail(name));
            Thread.sleep(50);
        }
    }

    /** Waits until {@code run} has {@code lines} metrics lines, failing when the process ends first or after 150 s. */
    public void awaitMetricsLines(Path run, int lines, Process process, String name) throws Exception {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (metricsLines(run) < lines) {
            assertTrue(process.isAlive(), name + " stopped early: " + tail(name));
            assertTrue(System.nanoTime() < deadline, "no " + lines + " metrics lines after 150 s: " + tail(name));
            Thread.sleep(50);
        }
    }

    /** Whole lines in metrics.jsonl (a torn last one does not count). */
    public static int metricsLines(Path run) throws IOException {
        Path file = run.resolve("metrics.jsonl");
        if (!Files.exists(file)) {
            return 0;
        }
        return (int) Files.readString(file).chars().filter(c -> c == '\n').count();
    }

    /** The run's metrics.jsonl, one map per iteration. */
    public static List<Map<String, Object>> metrics(Path run) throws IOException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = JSON.readValue(line, Map.class);
            out.add(m);
        }
        return out;
    }

    /** What the process {@code name} printed on standard output. */
    public String output(String name) throws IOException {
        return Files.readString(dir.resolve(name + ".out"));
    }

    /** The last 30 lines of what the process {@code name} logged, for failure messages. */
    public String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".err"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** {@code first} then {@code second}. */
    public static List<String> with(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    /**
     * A URL of the Redis on {@code port} with short timeouts and retries, so that processes notice an outage (and
     * its end) within a second.
     */
    public static String quickRedisUrl(int port) {
        return "redis://127.0.0.1:" + port + "?connect_timeout=500ms&socket_timeout=2s&retry_max=250ms&log_interval=1s";
    }
}

package dev.densify.cli.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.train.RunFolder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training through an environment written in Python: the reference server and its example, extracted from the
 * process plugin's jar as a user extracts them, trained by the packaged command line in a process of its own.
 */
class ProcessEnvironmentIT {
    private static final Path DENSIFY_JAR = Path.of(System.getProperty("basedir", ".")).resolve("target/densify.jar");

    /** The files as a user gets them: {@code unzip -j densify-env-process.jar 'META-INF/densify/process/*'}. */
    private static Path extractTheServer(Path folder) throws IOException {
        for (String file : List.of("densify_env.py", "line_walk.py")) {
            try (InputStream in = ProcessEnvironmentIT.class.getClassLoader()
                    .getResourceAsStream("META-INF/densify/process/" + file)) {
                assertNotNull(in, file + " is not on the class path");
                Files.copy(in, folder.resolve(file));
            }
        }
        return folder.resolve("line_walk.py");
    }

    @Test
    void trainsAnEnvironmentWrittenInPython(@TempDir Path folder) throws Exception {
        assertTrue(Files.isRegularFile(DENSIFY_JAR), DENSIFY_JAR + " is missing: integration tests run after package");
        Path server = extractTheServer(Files.createDirectories(folder.resolve("server")));
        Path run = folder.resolve("run");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Xmx1g", "-jar",
                DENSIFY_JAR.toString(), "train", "--run-dir", run.toString(),
                "env=process", "env.command=python3 " + server, "policy.preset=micro",
                "trainer.iterations=2", "trainer.episodes_per_iteration=8", "trainer.group_size=4",
                "trainer.eval_every=0", "trainer.eval_episodes=8", "trainer.warm_start_episodes=16",
                "trainer.warm_start_epochs=2", "trainer.checkpoint_every=0", "trainer.sample_trajectories=4"));
        Path log = folder.resolve("densify.log");
        Process densify = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(densify.waitFor(5, TimeUnit.MINUTES), "densify train did not finish");
        assertEquals(0, densify.exitValue(), () -> "densify train failed:\n" + read(log));

        List<Map<String, Object>> metrics = new RunFolder(run).readMetrics();
        assertEquals(2, metrics.size(), "metrics.jsonl lines");
        for (Map<String, Object> m : metrics) {
            assertEquals(8, ((Number) m.get("train_episodes")).intValue(), () -> "episodes in " + m);
            assertEquals(Map.of(), m.get("failures"), () -> "no episode failed: " + m);
        }

        String episodes = trajectories(new RunFolder(run).trajectories());
        assertTrue(episodes.contains("\"walk-"), "the episodes' tasks are the Python server's: " + abbreviate(episodes));
        assertTrue(episodes.contains("steps left"), "the observations are the Python server's: " + abbreviate(episodes));
    }

    private static String trajectories(Path folder) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".jsonl.gz")).sorted().toList()) {
                try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
                    all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        assertFalse(all.isEmpty(), "no trajectories were written to " + folder);
        return all.toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }
}

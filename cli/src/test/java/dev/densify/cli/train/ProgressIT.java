package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real tiny training by the packaged command with its output in files, as under CI: one plain progress line per
 * iteration, and no carriage return or escape sequence anywhere in what it printed (log lines included).
 */
class ProgressIT {
    private static final Path DENSIFY_JAR = Path.of(System.getProperty("basedir", "."), "target", "densify.jar")
            .toAbsolutePath();

    @Test
    void withoutATerminalTrainingPrintsOnePlainLinePerIteration(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("tiny");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Xmx700m", "-jar", DENSIFY_JAR.toString(), "train",
                "--run-dir", run.toString(), "policy.preset=micro", "env.size=5", "trainer.iterations=3",
                "trainer.episodes_per_iteration=4", "trainer.group_size=2", "trainer.max_steps=4",
                "trainer.warm_start_episodes=8", "trainer.warm_start_epochs=1", "trainer.eval_every=3",
                "trainer.eval_episodes=4", "trainer.sample_trajectories=0"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the training did not finish");
        String log = Files.readString(err);
        assertEquals(0, process.exitValue(), log);
        for (String printed : List.of(log, Files.readString(out))) {
            assertFalse(printed.contains("\r"), "a carriage return in\n" + printed);
            assertFalse(printed.contains("\u001b"), "an escape sequence in\n" + printed);
        }
        // the run's time summary: every phase of an iteration, then the checkpoints written after the metrics lines
        String printed = Files.readString(out);
        String summary = printed.lines().filter(l -> l.startsWith("time by phase")).findFirst()
                .orElseThrow(() -> new AssertionError("no time summary in\n" + printed));
        assertTrue(summary.matches("time by phase \\(this process\\): collect [0-9.]+ s \\(\\d+%\\), .*update [0-9.]+ s"
                + " \\(\\d+%\\), .*checkpoint [0-9.]+ s \\(\\d+%\\)"), summary);
        List<String> progress = log.lines().filter(l -> l.startsWith("tiny: ")).toList();
        assertEquals("tiny: warm start from demonstrations", progress.get(0), log);
        assertEquals(4, progress.size(), log);
        for (int i = 1; i <= 3; i++) {
            assertTrue(progress.get(i).matches("tiny: iteration " + i + "/3  train \\d\\.\\d\\d  held-out "
                    + (i == 3 ? "\\d\\.\\d\\d" : "-") + "  kl .*tok/s"), progress.get(i));
        }
    }
}

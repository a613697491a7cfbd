package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands that make run folders, run in-process: a folder belongs to one run, and every command validates the
 * configuration the same way before any folder is made. None of these gets as far as training.
 */
class RunFolderCommandsTest {
    @TempDir
    Path tmp;

    private record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                Map.of());
        return new Result(code, out.toString(), err.toString());
    }

    /** A folder as a finished run leaves it (the part that matters here: its files are there). */
    private Path earlierRun() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("run"));
        Files.writeString(folder.resolve("config.yaml"), "trainer:\n  iterations: 1\n");
        Files.writeString(folder.resolve("metrics.jsonl"), "{\"iteration\":0}\n");
        Files.createDirectories(folder.resolve("checkpoints"));
        return folder;
    }

    @Test
    void trainRefusesAFolderThatHoldsAnotherRun() throws Exception {
        Path folder = earlierRun();
        Result result = run("train", "--run-dir", folder.toString());
        assertEquals(2, result.exitCode(), result.err());
        assertEquals(List.of("densify: --run-dir: " + folder + " already holds checkpoints, config.yaml, metrics.jsonl;"
                + " a run folder belongs to one run: choose another folder, continue the run there, or clear it first"
                + " (--resume " + folder + " continues it, --overwrite clears it)"), result.errLines());
        assertEquals("trainer:\n  iterations: 1\n", Files.readString(folder.resolve("config.yaml")), "untouched");
    }

    @Test
    void overwriteRefusesAFolderThatIsNotARun() throws Exception {
        Path folder = Files.createDirectories(tmp.resolve("home"));
        Files.writeString(folder.resolve("notes.txt"), "mine");
        Result result = run("train", "--overwrite", "--run-dir", folder.toString());
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains("holds notes.txt but no run"), result.err());
        assertTrue(Files.exists(folder.resolve("notes.txt")));
    }

    @Test
    void overwriteIsNotClearedByAnInvalidConfiguration() throws Exception {
        Path folder = earlierRun();
        Result result = run("train", "--overwrite", "--run-dir", folder.toString(), "trainer.iterations=-1");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(Files.exists(folder.resolve("metrics.jsonl")), "a typo must not cost the earlier run");
    }

    @Test
    void resumeWithoutACheckpointSaysSo() throws Exception {
        Path folder = earlierRun();
        Files.writeString(folder.resolve("config.yaml"), run("config").out());
        Result result = run("train", "--resume", folder.toString());
        assertEquals(2, result.exitCode(), result.err());
        assertEquals(List.of("densify: nothing to resume: " + folder.resolve("checkpoints") + " holds no checkpoint yet"),
                result.errLines());
    }

    @Test
    void resumingWithMoreIterationsSaysThatTheDecayMoves() throws Exception {
        Path folder = earlierRun();
        Files.writeString(folder.resolve("config.yaml"), run("config", "trainer.iterations=2").out());
        Result longer = run("train", "--resume", folder.toString(), "trainer.iterations=3");
        assertEquals("densify: warning: the learning rate of iteration 2 is now 1.10e-04, not the run's 2.00e-05: the"
                + " schedule spans trainer.iterations (3, the run's 2), so the rest of the run follows the new one",
                longer.errLines().get(0), longer.err());
        assertEquals(2, longer.exitCode(), "and then it says there is nothing to resume: " + longer.err());

        Files.writeString(folder.resolve("config.yaml"), run("config", "trainer.iterations=2",
                "trainer.lr_final_fraction=1.0").out());
        Result constant = run("train", "--resume", folder.toString(), "trainer.iterations=3");
        assertFalse(constant.err().contains("warning"), "a constant rate does not move: " + constant.err());
    }

    @Test
    void ablateRejectsTwoVariantsOfOneName() {
        Path out = tmp.resolve("ablation");
        Result result = run("ablate", "--out", out.toString(), "--variant", "a:shaper=none", "--variant",
                "a:shaper=potential");
        assertEquals(2, result.exitCode(), result.err());
        assertEquals(List.of("densify: --variant names must be unique, got [a, a]"), result.errLines());
        assertFalse(Files.exists(out));
    }

    @Test
    void ablateRefusesAnOutFolderInUse() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("ablation"));
        Files.writeString(out.resolve("ablation.json"), "{}");
        Result result = run("ablate", "--out", out.toString());
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("densify: " + out + " already holds ablation.json;"), result.err());
    }

    @Test
    void configValidatesWhatARunValidates() {
        Result result = run("config", "trainer.iterations=-1", "policy.temperature=-1");
        assertEquals(2, result.exitCode(), result.err());
        assertEquals("", result.out());
        assertTrue(result.errLines().contains("densify: trainer.iterations: -1 is not allowed; expected 0 or more"),
                result.err());
        assertTrue(result.errLines().contains(
                "densify: policy.temperature: -1.0 is not allowed; expected 0 (greedy) or more"), result.err());
    }

    @Test
    void configChecksTheCreditGroupToo() {
        Result result = run("config", "credit=progress", "credit.prover_k=0");
        assertEquals(2, result.exitCode(), result.err());
        assertEquals(List.of("densify: credit.prover_k: 0 is not allowed; expected a positive number"),
                result.errLines());
    }

    @Test
    void anUnknownPresetOrABadBufferUrlLeavesNoFolder() {
        Path folder = tmp.resolve("run");
        Result preset = run("train", "--run-dir", folder.toString(), "policy.preset=huge");
        assertEquals(2, preset.exitCode(), preset.err());
        assertTrue(preset.errLines().get(0).startsWith("densify: policy.preset: unknown model preset 'huge', known: "),
                preset.err());
        Result url = run("train", "--run-dir", folder.toString(), "buffer=redis", "buffer.url=http://x");
        assertEquals(2, url.exitCode(), url.err());
        assertEquals(List.of("densify: buffer.url: Invalid Redis URL 'http://x': the scheme must be redis:// or"
                + " rediss:// (TLS) (expected redis[s]://[user[:password]@]host[:port][/db][?option=value])"),
                url.errLines(), "said once, under the key");
        assertFalse(url.err().contains("unexpected error"), url.err());
        assertFalse(Files.exists(folder), "no stub run folder");
    }

    /** A Redis password in the configuration would land in config.yaml (mode 0644) and in debug logs. */
    @Test
    void aRedisPasswordIsRefusedInTheConfiguration() {
        Path folder = tmp.resolve("run");
        Result result = run("train", "--run-dir", folder.toString(), "buffer=redis",
                "buffer.url=redis://:hunter2@127.0.0.1:6379");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.errLines().contains("densify: buffer.url: 'redis://:***@127.0.0.1:6379' carries a password,"
                + " which would be written to the run folder's config.yaml; set the environment variable"
                + " DENSIFY_REDIS_PASSWORD or name a file with ?password_file=PATH instead"), result.err());
        assertFalse(result.err().contains("hunter2"));
        assertFalse(Files.exists(folder));
    }
}

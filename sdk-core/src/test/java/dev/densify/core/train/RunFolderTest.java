package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    @TempDir
    Path tmp;

    @Test
    void aFreshRunRefusesAFolderThatHoldsAnotherRun() throws Exception {
        Path folder = tmp.resolve("run");
        RunFolder.fresh(folder).appendMetrics(Map.of("iteration", 0));
        RunFolderException e = assertThrows(RunFolderException.class, () -> RunFolder.fresh(folder));
        assertTrue(e.getMessage().startsWith(folder + " already holds checkpoints, metrics.jsonl, trajectories;"),
                e.getMessage());
        assertEquals(1, new RunFolder(folder).readMetrics().size(), "the earlier run is untouched");
    }

    @Test
    void aFreshRunAcceptsAMissingOrEmptyFolder() throws Exception {
        RunFolder.fresh(tmp.resolve("missing"));
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertTrue(Files.isDirectory(RunFolder.fresh(empty).checkpoints()));
    }

    @Test
    void clearEmptiesARunFolderButRefusesAnyOtherFolder() throws Exception {
        Path run = tmp.resolve("run");
        RunFolder.fresh(run).appendMetrics(Map.of("iteration", 0));
        assertTrue(RunFolder.clear(run));
        RunFolder.requireUnused(run);
        assertFalse(RunFolder.clear(run), "nothing left to clear");

        Path other = Files.createDirectory(tmp.resolve("documents"));
        Files.writeString(other.resolve("thesis.tex"), "precious");
        RunFolderException e = assertThrows(RunFolderException.class, () -> RunFolder.clear(other));
        assertTrue(e.getMessage().contains("thesis.tex but no run"), e.getMessage());
        assertTrue(Files.exists(other.resolve("thesis.tex")));
    }

    /** What a kill in the middle of a metrics write leaves: resume must continue, cutting the torn line. */
    @Test
    void resumeCutsATornLastMetricsLine() throws Exception {
        RunFolder run = RunFolder.fresh(tmp.resolve("run"));
        run.appendMetrics(Map.of("iteration", 0));
        run.appendMetrics(Map.of("iteration", 1));
        Files.writeString(run.metricsFile(), "{\"iteration\":2,\"succ", StandardOpenOption.APPEND);

        RunFolderException e = assertThrows(RunFolderException.class, run::readMetrics);
        assertTrue(e.getMessage().contains("line 3 is torn"), e.getMessage());

        run.truncateMetricsAfter(1);
        assertEquals(List.of(Map.of("iteration", 0), Map.of("iteration", 1)), run.readMetrics());
        assertTrue(Files.readString(run.metricsFile(), StandardCharsets.UTF_8).endsWith("}\n"));
        run.appendMetrics(Map.of("iteration", 2));
        assertEquals(3, run.readMetrics().size());
    }

    @Test
    void resumeDropsTheIterationsAfterTheCheckpoint() {
        RunFolder run = RunFolder.fresh(tmp.resolve("run"));
        for (int i = 0; i < 4; i++) {
            run.appendMetrics(Map.of("iteration", i));
        }
        run.truncateMetricsAfter(1);
        assertEquals(List.of(Map.of("iteration", 0), Map.of("iteration", 1)), run.readMetrics());
        assertFalse(Files.exists(run.metricsFile().resolveSibling("metrics.jsonl.tmp")));
    }

    @Test
    void aCorruptCompleteLineIsNamedByFileAndLine() throws Exception {
        RunFolder run = RunFolder.fresh(tmp.resolve("run"));
        run.appendMetrics(Map.of("iteration", 0));
        Files.writeString(run.metricsFile(), "garbage\n", StandardOpenOption.APPEND);
        RunFolderException e = assertThrows(RunFolderException.class, run::readMetrics);
        assertTrue(e.getMessage().startsWith(run.metricsFile() + ": line 2 is not a JSON object"), e.getMessage());
    }
}

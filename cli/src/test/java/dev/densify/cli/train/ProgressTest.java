package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.train.IterationMetrics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import org.junit.jupiter.api.Test;

/** Progress as bars on a terminal, as one plain line per iteration without one (CI, pipes). */
class ProgressTest {
    private static IterationMetrics metrics(int i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("train_success", 0.25 * i);
        m.put("kl_to_reference", 0.01);
        m.put("critic_heldout_ev", "NaN");
        m.put("tokens_per_s", 900.0);
        if (i == 2) {
            m.put("heldout_success", 0.5);
        }
        return IterationMetrics.fromMap(m);
    }

    /** What the trainer reports for one iteration: its start, its phases, its metrics. */
    private static void iteration(Progress progress, int i, int n) {
        progress.phase("iteration " + (i + 1) + "/" + n);
        for (String phase : List.of("collect", "values", "rewards", "update", "critic fit", "write")) {
            progress.phase(phase);
        }
        progress.iteration(i, n, metrics(i));
    }

    @Test
    void onePlainLinePerIterationWithoutCarriageReturnsOrColours() {
        assertNull(System.console(), "the test JVM has no terminal");
        assertFalse(Progress.onTerminal(System.console()));
        StringWriter text = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(text), "run-1")) {
            progress.phase("warm start");
            for (int i = 0; i < 3; i++) {
                iteration(progress, i, 3);
            }
        }
        String out = text.toString();
        assertFalse(out.contains("\r"), out);
        assertFalse(out.contains("\u001b"), out);
        String[] lines = out.split("\n");
        assertEquals(4, lines.length, out);
        assertEquals("run-1: warm start from demonstrations", lines[0]);
        assertEquals("run-1: iteration 3/3  train 0.50  held-out 0.50  kl 0.010  critic EV -  900 tok/s", lines[3]);
    }

    @Test
    void onATerminalEachIterationsBarNamesThePhaseInProgressAndEndsWithItsFigures() {
        List<String> drawn = Collections.synchronizedList(new ArrayList<>());
        List<List<String>> bars = new ArrayList<>();
        StringWriter plain = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(plain), "run-1", Optional.of(() -> {
            List<String> mine = Collections.synchronizedList(new ArrayList<>());
            bars.add(mine);
            return new DelegatingProgressBarConsumer(line -> {
                mine.add(line);
                drawn.add(line);
            }, 160);
        }))) {
            progress.phase("warm start");
            iteration(progress, 0, 2);
            progress.phase("iteration 2/2");
            progress.phase("collect");
            progress.phase("update");
            // The bar's own thread keeps drawing: read a copy taken under the list's lock.
            List<String> sofar;
            synchronized (drawn) {
                sofar = List.copyOf(drawn);
            }
            assertTrue(sofar.stream().anyMatch(l -> l.startsWith("run-1 2/2") && l.contains(" 1/" + Progress
                    .ITERATION_PHASES.size()) && l.contains("update     | last: train 0.00  held-out -")), sofar
                    .toString());
            progress.iteration(1, 2, metrics(1));
        }
        assertEquals("", plain.toString(), "bars only, no plain lines");
        assertEquals(3, bars.size(), "a bar for the warm start and one per iteration");
        assertTrue(bars.get(0).stream().allMatch(l -> l.startsWith("run-1 warm start")), bars.get(0).toString());
        for (String phase : List.of("collect", "values", "rewards", "update", "critic fit", "write")) {
            assertTrue(bars.get(1).stream().anyMatch(l -> l.startsWith("run-1 1/2") && l.endsWith(" " + phase)),
                    phase + " in " + bars.get(1));
        }
        String last = bars.get(2).get(bars.get(2).size() - 1);
        assertTrue(last.startsWith("run-1 2/2 100%"), last);
        assertTrue(last.endsWith("train 0.25  held-out -  kl 0.010  critic EV -  900 tok/s"), last);
        assertEquals(List.of("collect", "forks", "values", "rewards", "kl", "update", "critic fit", "evaluate", "write"),
                Progress.ITERATION_PHASES);
    }
}

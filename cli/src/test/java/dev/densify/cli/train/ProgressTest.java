package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Without a terminal (as under CI and in pipes) progress is one plain line per iteration. */
class ProgressTest {
    @Test
    void onePlainLinePerIterationWithoutCarriageReturnsOrColours() {
        assertNull(System.console(), "the test JVM has no terminal");
        StringWriter text = new StringWriter();
        try (Progress progress = new Progress(new PrintWriter(text), "run-1")) {
            progress.phase("warm start");
            for (int i = 0; i < 3; i++) {
                progress.phase("iteration " + (i + 1) + "/3");
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("train_success", 0.25 * i);
                m.put("kl_to_reference", 0.01);
                m.put("critic_heldout_ev", "NaN");
                m.put("tokens_per_s", 900.0);
                if (i == 2) {
                    m.put("heldout_success", 0.5);
                }
                progress.iteration(i, 3, m);
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
}

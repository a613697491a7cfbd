package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bad pass@k flags fail before any work, naming the problem and what is allowed. */
class PassAtKFlagsTest {
    @TempDir
    Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                Map.of());
        return new String[] {Integer.toString(code), err.toString()};
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1,4,16,64 | 16 | --samples 16 is fewer than the largest k (64)",
        "0,4       |    | k = 0 in '0,4': k must be at least 1",
        "1,2.5     |    | '2.5' in '1,2.5' is not an integer",
        "1,x       |    | 'x' in '1,x' is not an integer"})
    void evalRefusesBadKsAndTooFewSamples(String ks, String samples, String message) {
        String[] result = samples == null ? run("eval", "--checkpoint", tmp.toString(), "--pass-at-k", ks)
                : run("eval", "--checkpoint", tmp.toString(), "--pass-at-k", ks, "--samples", samples);
        assertEquals("2", result[0], result[1]);
        assertTrue(result[1].contains("--") && result[1].contains(message), result[1]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1,4 | 2 | --pass-at-k-samples 2 is fewer than the largest k (4)",
        "-1  |   | k = -1 in '-1': k must be at least 1"})
    void ablateRefusesBadKsBeforeAnyRun(String ks, String samples, String message) {
        Path out = tmp.resolve("ablate");
        String[] result = samples == null ? run("ablate", "--out", out.toString(), "--pass-at-k", ks)
                : run("ablate", "--out", out.toString(), "--pass-at-k", ks, "--pass-at-k-samples", samples);
        assertEquals("2", result[0], result[1]);
        assertTrue(result[1].contains(message), result[1]);
        assertTrue(!Files.exists(out), "no ablation folder before the flags are right");
    }

    @ParameterizedTest
    @CsvSource({"--samples", "--json"})
    void evalRefusesPassAtKOptionsWithoutPassAtK(String option) {
        String[] result = run("eval", "--checkpoint", tmp.toString(), option, "4");
        assertEquals("2", result[0], result[1]);
        assertTrue(result[1].contains("go with --pass-at-k"), result[1]);
    }
}

package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Expected conditions are reported as what they are, naming the option the user typed. */
class MessagesTest {
    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                Map.of());
        return new Result(code, out.toString(), err.toString());
    }

    /** Picocli's own warnings (an unescaped '%' in a description) go to the process's standard error. */
    @Test
    void helpPrintsNoPicocliWarning() {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        Result root;
        Result eval;
        try {
            root = run("--help");
            eval = run("eval", "--help");
        } finally {
            System.setErr(original);
        }
        assertEquals(0, root.exitCode());
        assertEquals(0, eval.exitCode());
        assertTrue(eval.out().contains("Wilson 95% interval"), eval.out());
        String warnings = captured.toString(StandardCharsets.UTF_8) + root.err() + eval.err();
        assertEquals("", warnings);
    }

    @Test
    void generateNamesTheOptionThatIsOutOfRange() {
        Result result = run("generate", "--checkpoint", "missing.bin", "--prompt", "x", "--max-tokens", "0");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("--max-tokens must be at least 1, got 0"), result.err());
        Result topP = run("generate", "--checkpoint", "missing.bin", "--prompt", "x", "--top-p", "1.5");
        assertTrue(topP.err().startsWith("--top-p must be within (0, 1], got 1.5"), topP.err());
    }

    @Test
    void configRefusesAShapingDiscountOtherThanTheAlgorithms() {
        Result result = run("config", "shaper=potential", "algo.gamma=0.9");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().contains("shaper.gamma: 1.0 differs from the algorithm's discount 0.9"), result.err());
        assertEquals(0, run("config", "shaper=potential", "algo.gamma=0.9", "shaper.gamma=0.9").exitCode());
    }
}

package dev.densify.cli.model;

import static dev.densify.core.model.io.TestModels.stories260K;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code bench model} measures both decoding paths on the real stories260K checkpoint and prints their ratio. */
class BenchModelDecodingIT {
    private static final Path BIN = stories260K().resolve("stories260K.bin");

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new BenchModelCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return commandLine.execute(args);
    }

    @Test
    void bothPathsAreMeasuredAtEachBatchWithTheirRatio() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "--checkpoint", BIN.toString(), "--batches", "1,3", "--new-tokens", "4",
                "--train-batch", "2", "--train-length", "8", "--train-steps", "1", "--repeats", "1");
        assertEquals(0, code, err.toString());
        String text = out.toString();
        for (String line : new String[] {"generate batch 1 engine", "generate batch 1 java", "generate batch 3 engine",
            "generate batch 3 java"}) {
            assertTrue(text.contains(line), "no '" + line + "' in\n" + text);
        }
        assertEquals(2, text.split("java / engine", -1).length - 1, text);
    }

    @Test
    void anUnknownDecodingPathIsRefusedByName() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(out, err, "--checkpoint", BIN.toString(), "--decoding", "java,gpu");
        assertEquals(2, code);
        assertTrue(err.toString().contains("--decoding takes engine, java or auto, got 'gpu'"), err.toString());
    }
}

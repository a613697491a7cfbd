package dev.densify.cli.model;

import static dev.densify.core.model.io.TestModels.stories260K;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The model commands against the real stories260K checkpoint (see its README). */
class ModelCommandsIT {
    private static final Path BIN = stories260K().resolve("stories260K.bin");

    private record Run(int exitCode, String out, String err) {}

    private static Run run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void infoPrintsTheArchitectureAndParameterCount() {
        Run run = run(new ModelCommand(), "info", BIN.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("5 layers, dim 64, SwiGLU hidden 172"), run.out());
        assertTrue(run.out().contains("8 query heads, 4 key/value heads (grouped-query)"), run.out());
        assertTrue(run.out().contains("interleaved-pairs"), run.out());
        assertTrue(run.out().contains("260,032"), run.out());
    }

    @Test
    void greedyGenerationPrintsTheReferenceStoryAndTheSpeed() {
        Run run = run(new GenerateCommand(), "--checkpoint", BIN.toString(), "--prompt", "Once upon a time",
                "--temperature", "0", "--max-tokens", "36");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().startsWith("Once upon a time, there was a little girl named Lily. She loved to play"
                + " outside in the park. One day, she saw a big, r"), run.out());
        assertTrue(run.out().contains("36 tokens in") && run.out().contains("tokens/s"), run.out());
    }

    @Test
    void aMissingCheckpointIsOneClearMessage() {
        Run run = run(new GenerateCommand(), "--checkpoint", "no/such/model.bin", "--prompt", "x");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("checkpoint not found: no/such/model.bin"), run.err());
        Run bad = run(new GenerateCommand(), "--checkpoint", BIN.toString(), "--prompt", "x", "--top-p", "0");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("topP"), bad.err());
    }

    @Test
    void benchReportsEveryMeasurement() {
        Run run = run(new BenchModelCommand(), "--checkpoint", BIN.toString(), "--batches", "1,2",
                "--new-tokens", "4", "--train-batch", "2", "--train-length", "8", "--train-steps", "1",
                "--repeats", "1");
        assertEquals(0, run.exitCode(), run.err());
        assertTrue(run.out().contains("generate batch 1 ") && run.out().contains("generate batch 2 ")
                && run.out().contains("train 2x8"), run.out());
    }
}

package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.optim.AdamW;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint state is checked on load, with messages that name the file and the field. */
class CheckpointTest {
    @TempDir
    Path checkpoints;
    private Path folder;

    @BeforeEach
    void writeARealCheckpoint() {
        ByteTokenizer tokenizer = new ByteTokenizer();
        try (LlamaModel model = LlamaModel.random(ModelPresets.preset("micro", tokenizer.vocabSize()), tokenizer, 1);
             AdamW adam = AdamW.withDefaults(1e-3)) {
            new Checkpoint(2, 3, 40, model.toWeights(), Optional.empty(), new byte[0], new byte[0], adam.saveState(),
                    List.of()).write(checkpoints);
        }
        folder = Checkpoint.folder(checkpoints, 2);
    }

    @Test
    void aValidCheckpointReadsBack() {
        Checkpoint c = Checkpoint.read(folder);
        assertEquals(List.of(2, 3L, 40L), List.of(c.iteration(), c.policyVersion(), c.episodes()));
    }

    @Test
    void negativeCountersAreRejectedByFileAndField() throws Exception {
        Path state = folder.resolve("state.json");
        Files.writeString(state, "{\"iteration\":2,\"policyVersion\":-5,\"episodes\":40}");
        assertEquals(state + ": policyVersion is -5; allowed: 0 or more",
                assertThrows(RunFolderException.class, () -> Checkpoint.read(folder)).getMessage());
        Files.writeString(state, "{\"iteration\":2,\"policyVersion\":3,\"episodes\":-1}");
        assertEquals(state + ": episodes is -1; allowed: 0 or more",
                assertThrows(RunFolderException.class, () -> Checkpoint.read(folder)).getMessage());
    }

    @Test
    void aMissingFieldIsNamed() throws Exception {
        Path state = folder.resolve("state.json");
        Files.writeString(state, "{\"iteration\":2,\"episodes\":40}");
        String message = assertThrows(RunFolderException.class, () -> Checkpoint.read(folder)).getMessage();
        assertEquals(true, message.startsWith(state + ": not a checkpoint state (") && message.contains("policyVersion"),
                message);
    }

    @Test
    void anIterationThatDisagreesWithItsFolderIsRejected() throws Exception {
        Files.writeString(folder.resolve("state.json"), "{\"iteration\":9,\"policyVersion\":3,\"episodes\":40}");
        assertEquals(folder.resolve("state.json") + ": iteration 9 does not match its folder iter-00002 (expected"
                + " iter-00009)", assertThrows(RunFolderException.class, () -> Checkpoint.read(folder)).getMessage());
    }

    @Test
    void aNegativeOptimizerStepIsRejected() throws Exception {
        Path optimizer = folder.resolve("optimizer.bin");
        byte[] bytes = Files.readAllBytes(optimizer);
        ByteBuffer.wrap(bytes).putLong(8, -1);
        Files.write(optimizer, bytes);
        assertEquals(optimizer + ": step is -1; allowed: 0 or more",
                assertThrows(RunFolderException.class, () -> Checkpoint.read(folder)).getMessage());
    }

    @Test
    void anIterationBeyondTheConfiguredCountIsRejected() {
        Checkpoint c = Checkpoint.read(folder);
        c.requireWithin(folder, 3);
        assertEquals(folder.resolve("state.json") + ": iteration 2 is beyond the configured trainer.iterations=2;"
                + " allowed: 0 to 1 (raise trainer.iterations to continue the run)",
                assertThrows(RunFolderException.class, () -> c.requireWithin(folder, 2)).getMessage());
    }
}

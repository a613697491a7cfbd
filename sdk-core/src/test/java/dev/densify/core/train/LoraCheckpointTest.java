package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.LoraTarget;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.io.AdapterBase;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.optim.AdamW;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A LoRA run's checkpoint holds its adapters, names its base by checksum, and refuses any other base. */
class LoraCheckpointTest {
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();
    private static final LlamaConfig MICRO = ModelPresets.preset("micro", TOKENIZER.vocabSize());
    private static final LoraConfig LORA = new LoraConfig(2, 4, EnumSet.of(LoraTarget.Q, LoraTarget.V,
            LoraTarget.DOWN), 9);
    private static final int[] PROMPT = {1, 72, 101, 108, 108, 111, 32, 119};

    @TempDir
    Path dir;
    private Path base;

    @BeforeEach
    void writeABase() throws IOException {
        base = dir.resolve("base");
        try (LlamaModel model = LlamaModel.random(MICRO, TOKENIZER, 1)) {
            ModelFiles.write(model.toWeights(), base);
        }
    }

    /** The base with adapters as training leaves them: B no longer zero. */
    private LlamaModel trained() throws IOException {
        LlamaModel adapted;
        try (LlamaModel frozen = LlamaModel.fromWeights(ModelFiles.read(base))) {
            adapted = frozen.withLora(LORA);
        }
        return asTrained(adapted);
    }

    /** {@code adapted} with its adapters as training leaves them (B no longer zero), drawn from a fixed seed. */
    static LlamaModel asTrained(LlamaModel adapted) {
        Map<String, WeightTensor> moved = new LinkedHashMap<>();
        SplittableRandom random = new SplittableRandom(5);
        adapted.loraWeights().tensors().forEach((name, t) -> {
            float[] data = new float[t.data().length];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian() * 0.05f;
            }
            moved.put(name, new WeightTensor(name, t.shape(), data));
        });
        adapted.restore(new ModelWeights(adapted.config(), moved, Optional.empty()));
        return adapted;
    }

    private Path writeCheckpoint(LlamaModel adapted) throws IOException {
        Path checkpoints = dir.resolve("checkpoints");
        try (AdamW adam = AdamW.withDefaults(1e-3)) {
            new Checkpoint(0, 1, 8, adapted.loraWeights(), Optional.of(adapted.loraWeights()), new byte[] {1},
                    new byte[] {2}, adam.saveState(), List.of(),
                    Optional.of(new Checkpoint.Lora(LORA, AdapterBase.of(base)))).write(checkpoints);
        }
        return Checkpoint.folder(checkpoints, 0);
    }

    @Test
    void theCheckpointHoldsTheAdaptersAloneAndReadsThemBack() throws IOException {
        try (LlamaModel adapted = trained()) {
            Path folder = writeCheckpoint(adapted);
            assertTrue(Files.isRegularFile(folder.resolve("policy").resolve(ModelFiles.ADAPTER)));
            assertFalse(Files.exists(folder.resolve("policy").resolve("model.safetensors")), "no copy of the base");
            Checkpoint read = Checkpoint.read(folder);
            assertEquals(Optional.of(new Checkpoint.Lora(LORA, AdapterBase.of(base))), read.lora());
            assertEquals(adapted.loraWeights().tensors().keySet(), read.policy().tensors().keySet());
            adapted.loraWeights().tensors().forEach((name, t) ->
                    assertArrayEquals(t.data(), read.policy().tensors().get(name).data(), name));
            assertTrue(read.reference().isPresent());
        }
    }

    /** The policy folder reads as a checkpoint of its own: adapted (as trained) or merged (as eval and export read it). */
    @Test
    void theAdapterFolderReadsAdaptedOrMergedWithTheSameOutputs() throws IOException {
        try (LlamaModel adapted = trained()) {
            Path policy = writeCheckpoint(adapted).resolve("policy");
            float[][] expected = adapted.logits(PROMPT);
            try (LlamaModel again = ModelFiles.readAdapted(policy);
                 LlamaModel merged = LlamaModel.fromWeights(ModelFiles.read(policy))) {
                assertEquals(Optional.of(LORA), again.lora());
                float[][] same = again.logits(PROMPT);
                float[][] close = merged.logits(PROMPT);
                for (int i = 0; i < PROMPT.length; i++) {
                    assertArrayEquals(expected[i], same[i], "adapted, position " + i);
                    assertArrayEquals(expected[i], close[i], 1e-5f, "merged, position " + i);
                }
                assertEquals(MICRO, ModelFiles.readConfig(policy));
            }
        }
    }

    @Test
    void anotherBaseIsRefusedNamingBothChecksums() throws IOException {
        Path policy;
        try (LlamaModel adapted = trained()) {
            policy = writeCheckpoint(adapted).resolve("policy");
        }
        String before = AdapterBase.checksum(base);
        try (LlamaModel other = LlamaModel.random(MICRO, TOKENIZER, 2)) {
            ModelFiles.write(other.toWeights(), base);
        }
        String after = AdapterBase.checksum(base);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelFiles.readAdapted(policy));
        assertTrue(e.getMessage().contains(before) && e.getMessage().contains(after)
                && e.getMessage().contains("exact base"), e.getMessage());
    }

    /** Remote workers receive the adapters alone and end with the learner's exact model. */
    @Test
    void publishedWeightsOfALoraPolicyAreItsAdapters() throws IOException {
        try (LlamaModel adapted = trained();
             LlamaModel frozen = LlamaModel.fromWeights(ModelFiles.read(base));
             LlamaModel worker = frozen.withLora(LORA)) {
            byte[] bytes = PolicyWeights.encode(adapted);
            assertTrue(bytes.length < PolicyWeights.encode(frozen).length, "smaller than the base's weights");
            PolicyWeights.load(worker, bytes);
            float[][] expected = adapted.logits(PROMPT);
            float[][] actual = worker.logits(PROMPT);
            for (int i = 0; i < PROMPT.length; i++) {
                assertArrayEquals(expected[i], actual[i], "position " + i);
            }
        }
    }
}

package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.LoraTarget;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.io.AdapterBase;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.prompt.PromptSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code policy.lora.init}: a run starts from saved adapters (an ablation's warm start) over the very base they
 * adapt, tensor for tensor, and refuses adapters of another base or another shape.
 */
class LoraInitTest {
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();
    private static final LlamaConfig MICRO = ModelPresets.preset("micro", TOKENIZER.vocabSize());
    private static final List<LoraTarget> TARGETS = List.of(LoraTarget.Q, LoraTarget.V);
    private static final int[] PROMPT = {1, 72, 101, 108, 108, 111, 32, 119};

    @TempDir
    Path dir;
    private Path base;
    private Path adapters;
    private Map<String, WeightTensor> saved;

    @BeforeEach
    void writeABaseAndTrainedAdapters() throws IOException {
        base = writeBase("base", 1);
        adapters = dir.resolve("warm-start-policy");
        try (LlamaModel frozen = LlamaModel.fromWeights(ModelFiles.read(base));
             LlamaModel adapted = frozen.withLora(new LoraConfig(2, 4, EnumSet.copyOf(TARGETS), 9))) {
            LoraCheckpointTest.asTrained(adapted);
            saved = adapted.loraWeights().tensors();
            ModelFiles.writeAdapter(ModelFiles.adapterOf(adapted, AdapterBase.of(base)), adapters);
        }
    }

    private Path writeBase(String name, long seed) throws IOException {
        Path folder = dir.resolve(name);
        try (LlamaModel model = LlamaModel.random(MICRO, TOKENIZER, seed)) {
            ModelFiles.write(model.toWeights(), folder);
        }
        return folder;
    }

    private static PolicySettings policy(Path checkpoint, int rank, double alpha, String init) {
        return new PolicySettings("micro", checkpoint.toString(), 1.0, 0, 1.0, 8, PromptSettings.defaults(),
                new LoraSettings(rank, alpha, TARGETS, 0, init), MemorySettings.defaults());
    }

    @Test
    void aRunStartsFromTheSavedAdaptersOverTheirFrozenBase() throws IOException {
        try (LlamaModel start = TrainingRun.policy(policy(base, 2, 4, adapters.toString()), 0);
             LlamaModel warm = ModelFiles.readAdapted(adapters);
             LlamaModel fresh = TrainingRun.policy(policy(base, 2, 4, ""), 0)) {
            assertTrue(start.lora().isPresent(), "the run trains adapters");
            assertEquals(saved, start.loraWeights().tensors(), "the saved adapter tensors, bit for bit");
            assertEquals(fresh.toWeights().tensors(), start.toWeights().tensors(), "the checkpoint's base");
            float[][] expected = warm.logits(PROMPT);
            float[][] actual = start.logits(PROMPT);
            for (int i = 0; i < expected.length; i++) {
                assertArrayEquals(expected[i], actual[i], "the warm-started policy's outputs");
            }
        }
    }

    @Test
    void adaptersOfAnotherBaseAreRefused() throws IOException {
        Path other = writeBase("other", 2);
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainingRun.policy(policy(other, 2, 4, adapters.toString()), 0));
        assertTrue(e.getMessage().contains("policy.lora.init") && e.getMessage().contains("exact base"),
                e.getMessage());
    }

    @Test
    void adaptersOfAnotherRankOrAlphaAreRefused() {
        ConfigException rank = assertThrows(ConfigException.class,
                () -> TrainingRun.policy(policy(base, 4, 4, adapters.toString()), 0));
        assertTrue(rank.getMessage().contains("policy.lora.init") && rank.getMessage().contains("of rank 2")
                && rank.getMessage().contains("configured with rank 4"), rank.getMessage());
        ConfigException alpha = assertThrows(ConfigException.class,
                () -> TrainingRun.policy(policy(base, 2, 8, adapters.toString()), 0));
        assertTrue(alpha.getMessage().contains("alpha 8.0"), alpha.getMessage());
    }

    @Test
    void initWithoutLoraIsRefused() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> new LoraSettings(0, 4, TARGETS, 0, adapters.toString()));
        assertTrue(e.getMessage().contains("policy.lora.init") && e.getMessage().contains("rank is 0"),
                e.getMessage());
    }

    @Test
    void aMissingAdapterFolderIsNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainingRun.policy(policy(base, 2, 4, dir.resolve("nowhere").toString()), 0));
        assertTrue(e.getMessage().contains("policy.lora.init") && e.getMessage().contains("nowhere"),
                e.getMessage());
    }
}

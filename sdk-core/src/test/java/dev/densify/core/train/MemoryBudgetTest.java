package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.LoraTarget;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory a run needs, estimated before loading, and the verdict against what is available. */
class MemoryBudgetTest {
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();
    private static final LlamaConfig MICRO = ModelPresets.preset("micro", TOKENIZER.vocabSize());
    private static final long GIB = 1L << 30;

    static TrainerSettings trainer(Map<String, Object> overrides) throws IOException {
        Map<String, Object> tree = LoraSettingsTest.defaults("META-INF/densify/trainer/default.yaml");
        tree.putAll(overrides);
        return PluginConfig.of("trainer", tree).bind(TrainerSettings.class);
    }

    /** The counts the estimate multiplies are the model's own: its parameters and its adapters' values. */
    @Test
    void weightAndAdapterCountsAreTheModelsOwn() throws IOException {
        TrainerSettings trainer = trainer(Map.of());
        qt().withExamples(8).forAll(integers().between(1, 8), integers().between(1, (1 << LoraTarget.values().length) - 1))
                .checkAssert((rank, mask) -> {
                    EnumSet<LoraTarget> targets = EnumSet.noneOf(LoraTarget.class);
                    for (LoraTarget t : LoraTarget.values()) {
                        if ((mask & (1 << t.ordinal())) != 0) {
                            targets.add(t);
                        }
                    }
                    LoraConfig lora = new LoraConfig(rank, 2 * rank, targets, 1);
                    try (LlamaModel base = LlamaModel.random(MICRO, TOKENIZER, 1);
                         LlamaModel adapted = base.withLora(lora)) {
                        long adapters = adapted.loraWeights().tensors().values().stream()
                                .mapToLong(t -> t.data().length).sum();
                        MemoryBudget budget = MemoryBudget.estimate(MICRO, Optional.of(lora), trainer, 64);
                        assertEquals(4 * base.parameterCount(), budget.weights());
                        assertEquals(4 * 2 * adapters, budget.adapters(), "policy and reference adapters");
                        assertEquals(4 * adapters, budget.gradients(), "only the adapters train");
                        assertEquals(4 * 2 * adapters, budget.optimizer(), "AdamW's two moments of the adapters");
                    }
                });
        MemoryBudget full = MemoryBudget.estimate(MICRO, Optional.empty(), trainer, 64);
        assertEquals(full.weights(), full.gradients(), "without LoRA every weight trains");
        assertEquals(2 * full.weights(), full.optimizer());
        assertEquals(0, full.adapters());
    }

    @Test
    void activationsGrowWithTheBatchAndTheSequenceAndStopAtTheContext() throws IOException {
        MemoryBudget small = MemoryBudget.estimate(MICRO, Optional.empty(), trainer(Map.of("mini_batch", 8)), 64);
        MemoryBudget bigger = MemoryBudget.estimate(MICRO, Optional.empty(), trainer(Map.of("mini_batch", 16)), 64);
        MemoryBudget longer = MemoryBudget.estimate(MICRO, Optional.empty(), trainer(Map.of("mini_batch", 8)), 128);
        MemoryBudget beyond = MemoryBudget.estimate(MICRO, Optional.empty(), trainer(Map.of("mini_batch", 8)),
                10 * MICRO.maxSeqLen());
        assertEquals(2 * small.activations(), bigger.activations());
        assertTrue(longer.activations() > 2 * small.activations(), "attention grows with the square of the length");
        assertEquals(MICRO.maxSeqLen(), beyond.sequenceTokens());
    }

    /** Adapter dropout keeps each target's mask, dropped input and hidden output per token; without it, nothing. */
    @Test
    void adapterDropoutAddsItsMasksAndBranchesToTheActivations() throws IOException {
        TrainerSettings settings = trainer(Map.of("mini_batch", 8));
        MemoryBudget none = MemoryBudget.estimate(MICRO, Optional.empty(), settings, 64);
        LoraConfig folded = new LoraConfig(4, 8, EnumSet.of(LoraTarget.Q, LoraTarget.DOWN), 0, 1);
        assertEquals(none.activations(), MemoryBudget.estimate(MICRO, Optional.of(folded), settings, 64).activations(),
                "without dropout the adapters are folded into the weights");
        LoraConfig dropped = new LoraConfig(4, 8, EnumSet.of(LoraTarget.Q, LoraTarget.DOWN), 0.1, 1);
        long perToken = (2L * MICRO.dim() + 4) + (2L * MICRO.hiddenDim() + 4);
        assertEquals(none.activations() + 4L * 8 * 64 * MICRO.layers() * perToken,
                MemoryBudget.estimate(MICRO, Optional.of(dropped), settings, 64).activations());
    }

    @Test
    void theVerdictRefusesWhatDoesNotFitAndSaysWhatToChange() throws IOException {
        MemoryBudget budget = MemoryBudget.estimate(MICRO, Optional.empty(), trainer(Map.of()), 64);
        MemoryBudget.Verdict fits = budget.check(new MemoryBudget.Available(8 * GIB, 24 * GIB));
        assertTrue(fits.fits(), fits.message());
        assertTrue(fits.message().contains("MiB") && fits.message().contains("activations"), fits.message());

        MemoryBudget.Verdict heap = budget.check(new MemoryBudget.Available(budget.heapBytes() - 1, 24 * GIB));
        assertFalse(heap.fits());
        assertTrue(heap.message().contains("-Xmx"), heap.message());

        MemoryBudget.Verdict physical = budget.check(new MemoryBudget.Available(8 * GIB, budget.totalBytes() - 1));
        assertFalse(physical.fits());
        assertTrue(physical.message().contains("physical memory") && physical.message().contains("trainer.mini_batch"),
                physical.message());
        assertTrue(budget.check(new MemoryBudget.Available(8 * GIB, budget.totalBytes())).fits(), "the edge fits");
    }

    /** A run on a checkpoint is checked from its header before anything is loaded; a pretend small machine refuses. */
    @Test
    void aRunOnACheckpointThatCannotFitIsRefusedNamingTheCheckpoint(@TempDir Path dir) throws IOException {
        Path checkpoint = dir.resolve("model");
        try (LlamaModel model = LlamaModel.random(MICRO, TOKENIZER, 1)) {
            ModelFiles.write(model.toWeights(), checkpoint);
        }
        PolicySettings policy = LoraSettingsTest.policy(Map.of("checkpoint", checkpoint.toString()));
        TrainerSettings trainer = trainer(Map.of());
        MemoryBudget budget = TrainingRun.requireMemory(policy, trainer, new MemoryBudget.Available(8 * GIB, 24 * GIB));
        assertEquals(MemoryBudget.estimate(MICRO, Optional.empty(), trainer, 256), budget);
        ConfigException refused = assertThrows(ConfigException.class, () -> TrainingRun.requireMemory(policy, trainer,
                new MemoryBudget.Available(8 * GIB, 64L << 20)));
        assertTrue(refused.getMessage().startsWith("policy.checkpoint") && refused.getMessage().contains("64 MiB"),
                refused.getMessage());
    }
}

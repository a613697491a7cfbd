package dev.densify.core.model;

import static dev.densify.core.model.ModelFixtures.randomModel;
import static dev.densify.core.model.ModelFixtures.randomTokens;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.core.model.io.AdapterWeights;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.optim.AdamW;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoraTest {
    private static final LoraConfig ATTENTION_AND_DOWN = new LoraConfig(2, 4,
            EnumSet.of(LoraTarget.Q, LoraTarget.V, LoraTarget.O, LoraTarget.DOWN), 3);

    /** One AdamW step on the negative log-likelihood of the sequences; returns each trainable gradient's max |g|. */
    private static float[] trainStep(LlamaModel model, AdamW optimizer, List<int[]> sequences) {
        List<NDArray> parameters = model.trainableParameters();
        float[] gradientSizes = new float[parameters.size()];
        try (NDManager manager = NDManager.newBaseManager()) {
            optimizer.zeroGradients(parameters);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TokenScores scores = model.score(manager, sequences);
                collector.backward(scores.logProbs().mul(scores.mask()).sum().neg());
            }
            for (int i = 0; i < parameters.size(); i++) {
                try (NDArray g = parameters.get(i).getGradient()) {
                    gradientSizes[i] = g.abs().max().getFloat();
                }
            }
            optimizer.step(parameters);
        }
        return gradientSizes;
    }

    @Test
    void aFreshAdapterChangesNothingAndLeavesTheBaseModelAlone() {
        try (LlamaModel base = randomModel(21); LlamaModel adapted = base.withLora(ATTENTION_AND_DOWN)) {
            int[] tokens = randomTokens(new SplittableRandom(1), 6);
            assertArrayEquals(base.logits(tokens), adapted.logits(tokens));
            int layers = base.config().layers();
            assertEquals(layers * 4 * 2, adapted.trainableParameters().size());
            assertEquals(base.parameterCount(), adapted.parameterCount());
            assertTrue(base.lora().isEmpty());
            assertEquals(ATTENTION_AND_DOWN, adapted.lora().orElseThrow());
        }
    }

    @Test
    void adaptersTrainWhileTheBaseStaysFrozen() {
        qt().withExamples(4).forAll(longs().all()).checkAssert(seed -> {
            try (LlamaModel adapted = randomModel(seed).withLora(ATTENTION_AND_DOWN);
                 AdamW optimizer = new AdamW(0.05, 0.9, 0.999, 1e-8, 0)) {
                ModelWeights before = adapted.toWeights();
                List<int[]> data = List.of(randomTokens(new SplittableRandom(seed), 8));
                float[][] logitsBefore = adapted.logits(data.get(0));
                float[] first = trainStep(adapted, optimizer, data);
                // B starts at zero, so only the B matrices (odd entries: A then B per module) see a gradient at first
                for (int i = 1; i < first.length; i += 2) {
                    assertTrue(first[i] > 0, "adapter " + i + " got no gradient");
                }
                float[] second = trainStep(adapted, optimizer, data);
                for (float g : second) {
                    assertTrue(g > 0, "an adapter got no gradient in the second step: " + Arrays.toString(second));
                }
                assertEquals(before.tensors(), adapted.toWeights().tensors());
                assertNotEquals(Arrays.deepToString(logitsBefore), Arrays.deepToString(adapted.logits(data.get(0))));
            }
        });
    }

    @Test
    void mergingGivesTheSameLogitsAndRestoringAdaptersReproducesTheModel() {
        try (LlamaModel base = randomModel(22);
             LlamaModel adapted = base.withLora(new LoraConfig(3, 6, EnumSet.allOf(LoraTarget.class), 9));
             AdamW optimizer = new AdamW(0.05, 0.9, 0.999, 1e-8, 0)) {
            List<int[]> data = List.of(randomTokens(new SplittableRandom(2), 9));
            for (int i = 0; i < 3; i++) {
                trainStep(adapted, optimizer, data);
            }
            int[] probe = randomTokens(new SplittableRandom(3), 7);
            float[][] trained = adapted.logits(probe);
            ModelWeights adapters = adapted.loraWeights();
            assertTrue(adapters.tensors().containsKey("model.layers.0.self_attn.q_proj.lora_A.weight"));
            assertArrayEquals(new long[] {3, base.config().dim()},
                    adapters.tensors().get("model.layers.0.mlp.gate_proj.lora_A.weight").shape());
            assertArrayEquals(new long[] {base.config().dim(), 3},
                    adapters.tensors().get("model.layers.0.mlp.down_proj.lora_B.weight").shape());

            try (LlamaModel resumed = base.withLora(new LoraConfig(3, 6, EnumSet.allOf(LoraTarget.class), 1))) {
                resumed.restore(adapters);
                assertArrayEquals(trained, resumed.logits(probe));
            }

            adapted.mergeLora();
            assertTrue(adapted.lora().isEmpty());
            float[][] merged = adapted.logits(probe);
            for (int i = 0; i < probe.length; i++) {
                assertTrue(ModelFixtures.maxAbsDifference(trained[i], merged[i]) < 1e-5, "position " + i);
            }
            assertEquals(adapted.toWeights().tensors().size(), adapted.trainableParameters().size());
            assertThrows(IllegalStateException.class, adapted::loraWeights);
        }
    }

    @Test
    void adaptersSavedWithTheirConfigurationRestoreTheTrainedModel(@TempDir Path dir) throws IOException {
        try (LlamaModel base = randomModel(25);
             LlamaModel adapted = base.withLora(ATTENTION_AND_DOWN);
             AdamW optimizer = new AdamW(0.05, 0.9, 0.999, 1e-8, 0)) {
            List<int[]> data = List.of(randomTokens(new SplittableRandom(5), 8));
            trainStep(adapted, optimizer, data);
            trainStep(adapted, optimizer, data);
            ModelFiles.writeAdapter(new AdapterWeights(adapted.loraWeights(), adapted.lora().orElseThrow()
                    .toMetadata()), dir);
            AdapterWeights read = ModelFiles.readAdapter(dir);
            LoraConfig config = LoraConfig.fromMetadata(read.metadata());
            assertEquals(ATTENTION_AND_DOWN, config);
            try (LlamaModel resumed = base.withLora(config)) {
                resumed.restore(read.weights());
                assertArrayEquals(adapted.logits(data.get(0)), resumed.logits(data.get(0)));
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoraConfig.fromMetadata(java.util.Map.of("lora.rank", "2")));
            assertTrue(e.getMessage().contains("lora.targets"), e.getMessage());
        }
    }

    @Test
    void misuseIsExplained() {
        try (LlamaModel base = randomModel(23); LlamaModel adapted = base.withLora(ATTENTION_AND_DOWN)) {
            assertThrows(IllegalStateException.class, () -> adapted.withLora(ATTENTION_AND_DOWN));
            assertThrows(IllegalStateException.class, base::mergeLora);
            assertThrows(IllegalArgumentException.class, () -> new LoraConfig(0, 1, Set.of(LoraTarget.Q), 0));
            assertThrows(IllegalArgumentException.class, () -> new LoraConfig(2, 1, Set.of(), 0));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LoraTarget.fromName("qkv"));
            assertTrue(e.getMessage().contains("gate"), e.getMessage());
            assertEquals(LoraTarget.GATE, LoraTarget.fromName("Gate"));
        }
    }

    @Test
    void aFrozenCopyIsIndependentAndUntrainable() {
        try (LlamaModel model = randomModel(24); LlamaModel reference = model.frozenCopy();
             AdamW optimizer = new AdamW(0.05, 0.9, 0.999, 1e-8, 0)) {
            assertTrue(reference.trainableParameters().isEmpty());
            assertTrue(!reference.isTrainable());
            List<int[]> data = List.of(randomTokens(new SplittableRandom(4), 8));
            float[][] before = reference.logits(data.get(0));
            trainStep(model, optimizer, data);
            assertArrayEquals(before, reference.logits(data.get(0)));
            assertNotEquals(Arrays.deepToString(before), Arrays.deepToString(model.logits(data.get(0))));
        }
    }
}

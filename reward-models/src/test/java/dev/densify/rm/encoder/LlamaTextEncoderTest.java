package dev.densify.rm.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaTextEncoderTest {
    static final Path MODELS = dev.densify.core.model.io.TestModels.stories260K();
    private static LlamaTextEncoder encoder;

    @BeforeAll
    static void load() throws Exception {
        encoder = LlamaTextEncoder.open(MODELS.resolve("stories260K.bin"), 128, 4);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void encodesEachTextToOneVectorOfTheModelsWidthTheSameWhateverTheBatch() {
        assertEquals(64, encoder.dimension());
        List<String> texts = List.of("Once upon a time", "the cat sat", "", "a much longer text about a dog and a ball",
                "x", "Once upon a time");
        float[][] vectors = encoder.encode(texts);
        assertEquals(texts.size(), vectors.length);
        assertArrayEquals(vectors[0], vectors[5], 1e-5f);
        assertFalse(Arrays.equals(vectors[0], vectors[1]));
        float[][] alone = encoder.encode(List.of("the cat sat"));
        assertArrayEquals(alone[0], vectors[1], 1e-5f);
        assertArrayEquals(vectors[2], encoder.encode(List.of(""))[0], 1e-5f);
        for (float[] v : vectors) {
            assertEquals(64, v.length);
            for (float f : v) {
                assertTrue(Float.isFinite(f));
            }
        }
    }

    @Test
    void longTextsKeepBosAndTheirTail() {
        String text = "word ".repeat(400);
        int[] tokens = encoder.tokens(text);
        assertEquals(128, tokens.length);
        int[] all = encoder.model().tokenizer().encode(text, true);
        assertEquals(all[0], tokens[0]);
        assertArrayEquals(Arrays.copyOfRange(all, all.length - 127, all.length), Arrays.copyOfRange(tokens, 1, 128));
    }

    @Test
    void theGgufFileGivesTheSameVectorsAsTheBin() throws Exception {
        try (LlamaTextEncoder gguf = LlamaTextEncoder.open(MODELS.resolve("stories260K-f32.gguf"), 128, 4)) {
            List<String> texts = List.of("Lily went to the park.", "Tom had a red ball.");
            float[][] a = encoder.encode(texts);
            float[][] b = gguf.encode(texts);
            for (int i = 0; i < a.length; i++) {
                assertArrayEquals(a[i], b[i], 1e-4f);
            }
        }
    }

    @Test
    void theTrainablePathGivesTheSameNumbersAndGradientsReachTheWeights() throws Exception {
        try (LlamaTextEncoder trainable = LlamaTextEncoder.open(MODELS.resolve("stories260K.bin"), 64, 4);
             NDManager manager = NDManager.newBaseManager()) {
            List<String> texts = List.of("Lily went to the park.", "Tom");
            float[][] frozen = trainable.encode(texts);
            assertTrue(trainable.trainableParameters().isEmpty());
            trainable.setTrainable(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray pooled = trainable.encode(manager, texts);
                float[] values = pooled.toFloatArray();
                assertArrayEquals(frozen[0], Arrays.copyOfRange(values, 0, 64), 1e-5f);
                assertArrayEquals(frozen[1], Arrays.copyOfRange(values, 64, 128), 1e-5f);
                collector.backward(pooled.square().sum());
            }
            double total = 0;
            for (NDArray p : trainable.trainableParameters()) {
                total += p.getGradient().abs().sum().getFloat();
            }
            assertTrue(total > 0, "no gradient reached the encoder's weights");
        }
    }

    @Test
    void aPolicyCheckpointFolderWithTheByteTokenizerEncodesAsTheModelItWasSavedFrom(@TempDir Path dir) throws Exception {
        // a policy checkpoint is a Hugging Face folder written by ModelFiles.write, as training writes it
        LlamaModel policy = LlamaModel.random(ModelPresets.preset("micro", ByteTokenizer.VOCAB_SIZE),
                new ByteTokenizer(), 7);
        ModelFiles.write(policy.toWeights(), dir.resolve("policy"));
        List<String> texts = List.of("up wall, down open; goal 2 left", "left");
        try (LlamaTextEncoder saved = LlamaTextEncoder.open(dir.resolve("policy"), 64, 4);
             LlamaTextEncoder original = new LlamaTextEncoder(policy, 64, 4)) {
            assertEquals(32, saved.dimension());
            assertTrue(saved.model().tokenizer() instanceof ByteTokenizer);
            float[][] a = saved.encode(texts);
            float[][] b = original.encode(texts);
            for (int i = 0; i < texts.size(); i++) {
                assertArrayEquals(b[i], a[i]);
            }
        }
    }

    @Test
    void badSettingsAreRefusedWithTheAllowedRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LlamaTextEncoder(encoder.model(), 100_000, 4));
        assertTrue(e.getMessage().contains("maxTokens must be in [2, 512]"), e.getMessage());
    }
}

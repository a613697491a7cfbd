package dev.densify.core.model;

import static dev.densify.core.model.Stories260kReference.REFERENCE_NEXT;
import static dev.densify.core.model.Stories260kReference.REFERENCE_TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.io.TestModels;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real stories260K checkpoint against the reference C implementation's outputs (see the model's README). */
class Stories260kModelIT {
    private static LlamaModel model;

    @BeforeAll
    static void load() throws IOException {
        model = Stories260kReference.load();
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void encodesTheReferencePrompt() {
        assertArrayEquals(new int[] {1, 403, 407, 261, 378}, model.tokenizer().encode("Once upon a time", true));
    }

    @Test
    void logitsAfterBosMatchTheReference() {
        float[] l = model.logits(new int[] {1})[0];
        assertEquals(-6.222911f, l[0], 1e-4f);
        assertEquals(8.404342f, l[1], 1e-4f);
        assertEquals(-6.223737f, l[2], 1e-4f);
        int argmax = 0;
        for (int i = 1; i < l.length; i++) {
            argmax = l[i] > l[argmax] ? i : argmax;
        }
        assertEquals(403, argmax);
        assertEquals(17.023516f, l[argmax], 1e-4f);
    }

    @Test
    void cachedDecodingGivesTheSameLogitsAtPositionZero() {
        float[] l = model.incrementalLogits(new int[] {1})[0];
        assertEquals(-6.222911f, l[0], 1e-4f);
        assertEquals(17.023516f, l[403], 1e-4f);
    }

    @Test
    void greedyGenerationReproducesTheReferenceTokens() {
        int[] prompt = model.tokenizer().encode("Once upon a time", true);
        int newTokens = 40 - (prompt.length - 1);
        Generation g = model.generate(List.of(prompt), SamplingOptions.greedy(newTokens), 0).get(0);
        int[] expected = java.util.Arrays.copyOfRange(REFERENCE_NEXT, prompt.length - 1, REFERENCE_NEXT.length);
        assertArrayEquals(expected, g.tokenIds());
        assertEquals(StopReason.MAX_TOKENS, g.stopReason());
        assertEquals(REFERENCE_TEXT, "Once upon a time" + g.text());
    }

    @Test
    void theGgufCheckpointGeneratesTheSameReferenceTokens() throws IOException {
        try (LlamaModel gguf = LlamaModel.fromWeights(ModelFiles.read(TestModels.stories260K()
                .resolve("stories260K-f32.gguf")))) {
            int[] prompt = gguf.tokenizer().encode("Once upon a time", true);
            Generation g = gguf.generate(List.of(prompt), SamplingOptions.greedy(36), 0).get(0);
            assertArrayEquals(java.util.Arrays.copyOfRange(REFERENCE_NEXT, 4, REFERENCE_NEXT.length), g.tokenIds());
            assertEquals(-6.222911f, gguf.logits(new int[] {1})[0][0], 1e-4f);
        }
    }

    @Test
    void greedyGenerationInABatchOfDifferentLengthsStillReproducesTheReference() {
        int[] prompt = model.tokenizer().encode("Once upon a time", true);
        int newTokens = 40 - (prompt.length - 1);
        List<Generation> out = model.generate(List.of(new int[] {1}, prompt, model.tokenizer().encode(
                "The little dog ran to the big tree and", true)), SamplingOptions.greedy(newTokens), 0);
        int[] expected = java.util.Arrays.copyOfRange(REFERENCE_NEXT, prompt.length - 1, REFERENCE_NEXT.length);
        assertArrayEquals(expected, out.get(1).tokenIds());
        assertEquals(403, out.get(0).tokenIds()[0]);
    }
}

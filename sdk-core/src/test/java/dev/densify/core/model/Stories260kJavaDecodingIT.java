package dev.densify.core.model;

import static dev.densify.core.model.Stories260kReference.REFERENCE_NEXT;
import static dev.densify.core.model.Stories260kReference.REFERENCE_TEXT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real stories260K checkpoint decoded in Java against the C reference's outputs (see the model's README). */
class Stories260kJavaDecodingIT {
    private static LlamaModel model;

    @BeforeAll
    static void load() throws IOException {
        model = Stories260kReference.load();
        model.setDecoding(Decoding.JAVA);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void theFirstTokenAfterBosHasTheReferenceLogProb() {
        // log-softmax of the reference logits at position 0 is checked through the engine's full forward
        float[] logits = model.logits(new int[] {1})[0];
        double expected = ModelFixtures.logSoftmax(logits)[403];
        Generation g = model.generate(List.of(new int[] {1}), SamplingOptions.greedy(1), 0).get(0);
        assertArrayEquals(new int[] {403}, g.tokenIds());
        assertEquals(expected, g.logProbs()[0], 1e-4);
        assertEquals(17.023516f, logits[403], 1e-4f);
    }

    @Test
    void greedyJavaDecodingReproducesTheReferenceTokensAndText() {
        int[] prompt = model.tokenizer().encode("Once upon a time", true);
        Generation g = model.generate(List.of(prompt), SamplingOptions.greedy(40 - (prompt.length - 1)), 0).get(0);
        assertArrayEquals(Arrays.copyOfRange(REFERENCE_NEXT, prompt.length - 1, REFERENCE_NEXT.length), g.tokenIds());
        assertEquals(StopReason.MAX_TOKENS, g.stopReason());
        assertEquals(REFERENCE_TEXT, "Once upon a time" + g.text());
    }

    @Test
    void aBatchOfDifferentLengthsStillReproducesTheReference() {
        int[] prompt = model.tokenizer().encode("Once upon a time", true);
        List<Generation> out = model.generate(List.of(new int[] {1}, prompt, prompt,
                model.tokenizer().encode("The little dog ran to the big tree and", true)),
                SamplingOptions.greedy(40 - (prompt.length - 1)), 0);
        int[] expected = Arrays.copyOfRange(REFERENCE_NEXT, prompt.length - 1, REFERENCE_NEXT.length);
        assertArrayEquals(expected, out.get(1).tokenIds());
        assertArrayEquals(expected, out.get(2).tokenIds());
        assertEquals(403, out.get(0).tokenIds()[0]);
    }

    @Test
    void longSampledStoriesAgreeWithTheEngineTokenForToken() {
        int[] prompt = model.tokenizer().encode("Once upon a time", true);
        List<int[]> prompts = List.of(prompt, prompt, new int[] {1});
        SamplingOptions sampling = SamplingOptions.sampling(200, 1.0);
        List<Generation> java = model.generate(prompts, sampling, 42);
        model.setDecoding(Decoding.ENGINE);
        List<Generation> engine;
        try {
            engine = model.generate(prompts, sampling, 42);
        } finally {
            model.setDecoding(Decoding.JAVA);
        }
        for (int i = 0; i < prompts.size(); i++) {
            assertArrayEquals(engine.get(i).tokenIds(), java.get(i).tokenIds(), "row " + i);
            assertTrue(ModelFixtures.maxAbsDifference(engine.get(i).logProbs(), java.get(i).logProbs()) < 1e-4);
            assertEquals(engine.get(i).text(), java.get(i).text());
        }
    }
}

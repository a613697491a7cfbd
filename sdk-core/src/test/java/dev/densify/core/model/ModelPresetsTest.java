package dev.densify.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.model.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;

class ModelPresetsTest {
    @Test
    void tinyHasUnderAMillionParametersAndMicroIsSmaller() {
        try (LlamaModel tiny = LlamaModel.random(ModelPresets.preset("tiny", ByteTokenizer.VOCAB_SIZE),
                ModelFixtures.TOKENIZER, 1);
             LlamaModel micro = LlamaModel.random(ModelPresets.preset("micro", ByteTokenizer.VOCAB_SIZE),
                     ModelFixtures.TOKENIZER, 1)) {
            assertTrue(tiny.parameterCount() < 1_000_000, "tiny has " + tiny.parameterCount());
            assertTrue(micro.parameterCount() < tiny.parameterCount() / 10, "micro has " + micro.parameterCount());
        }
        LlamaConfig tiny = ModelPresets.preset("tiny", 512);
        assertEquals(128, tiny.dim());
        assertEquals(512, tiny.vocabSize());
    }

    @Test
    void anUnknownPresetListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelPresets.preset("huge", 256));
        assertTrue(e.getMessage().contains("huge") && e.getMessage().contains("micro, small, tiny"), e.getMessage());
    }
}

package dev.densify.core.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import org.junit.jupiter.api.Test;

class ArithmeticTest {
    private static final ByteTokenizer TOKENIZER = new ByteTokenizer();

    /**
     * Without attention's context, a token's block operations are one multiply-add per weight of the blocks'
     * projections: twice the model's parameters less its embedding and norm gains, counted by the model itself.
     */
    @Test
    void withoutContextABlockTokenCostsTwoOperationsPerProjectionWeight() {
        for (String preset : ModelPresets.names()) {
            LlamaConfig c = ModelPresets.preset(preset, ByteTokenizer.VOCAB_SIZE);
            try (LlamaModel model = LlamaModel.random(c, TOKENIZER, 1)) {
                long norms = (2L * c.layers() + 1) * c.dim();
                long projections = model.parameterCount() - (long) c.vocabSize() * c.dim() - norms;
                assertEquals(2.0 * projections, Arithmetic.blockFlopsPerToken(c, 0), 1e-6, preset);
            }
            assertEquals(2.0 * c.dim() * c.vocabSize(), Arithmetic.headFlopsPerToken(c), 1e-6, preset);
        }
    }

    @Test
    void attentionAddsTwoProductsOverTheContextInEveryLayer() {
        LlamaConfig c = ModelPresets.preset("tiny", ByteTokenizer.VOCAB_SIZE);
        assertEquals(c.layers() * 2 * 2.0 * 40 * c.dim(),
                Arithmetic.blockFlopsPerToken(c, 40) - Arithmetic.blockFlopsPerToken(c, 0), 1e-6);
    }

    @Test
    void theEnginesMatMulRateIsMeasuredAsAPositiveFiniteRate() {
        double rate = Arithmetic.matMulFlopsPerSecond(64, 32, 48);
        assertTrue(Double.isFinite(rate) && rate > 0, "rate " + rate);
        double seconds = Arithmetic.projectionSeconds(ModelPresets.preset("micro", ByteTokenizer.VOCAB_SIZE), 16);
        assertTrue(Double.isFinite(seconds) && seconds > 0, "seconds " + seconds);
    }
}

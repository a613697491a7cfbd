package dev.densify.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model's gradients do not depend on the garbage collector: DJL gives PyTorch the Java memory of every plain
 * number it is handed and frees it when the call returns, so a number that autograd keeps for the backward pass
 * (the attention scale, the LoRA scale) must enter as a tensor PyTorch owns. A collection that frees and reuses
 * that memory between the forward and the backward pass once turned gradients into garbage at random.
 */
class GradientsUnderCollectionTest {
    private static final List<int[]> DATA = List.of(
            ModelFixtures.TOKENIZER.encode("the cat sat on the mat", true),
            ModelFixtures.TOKENIZER.encode("a dog ran", true));

    private static void churnNativeMemory() {
        List<ByteBuffer> filler = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (int i = 0; i < 20_000; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(4 + (i % 4) * 4);
                while (b.remaining() >= 4) {
                    b.putFloat(1e30f);
                }
                filler.add(b);
            }
        }
    }

    private static List<float[]> gradients(LlamaModel model, boolean churn) {
        List<NDArray> parameters = model.trainableParameters();
        try (NDManager manager = NDManager.newBaseManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                TokenScores scores = model.score(manager, DATA);
                NDArray loss = scores.logProbs().mul(scores.mask()).sum().neg();
                if (churn) {
                    churnNativeMemory();
                }
                collector.backward(loss);
            }
            List<float[]> out = new ArrayList<>();
            for (NDArray p : parameters) {
                try (NDArray g = p.getGradient()) {
                    out.add(g.toFloatArray());
                    g.subi(g);
                }
            }
            return out;
        }
    }

    private static void assertCollectionChangesNothing(LlamaModel model) {
        List<float[]> quiet = gradients(model, false);
        assertTrue(quiet.stream().anyMatch(g -> {
            for (float v : g) {
                if (v != 0) {
                    return true;
                }
            }
            return false;
        }), "the loss reaches the parameters");
        for (int attempt = 0; attempt < 2; attempt++) {
            List<float[]> churned = gradients(model, true);
            assertEquals(quiet.size(), churned.size());
            for (int i = 0; i < quiet.size(); i++) {
                assertArrayEquals(quiet.get(i), churned.get(i), "parameter " + i + ", attempt " + attempt);
            }
        }
    }

    private static LlamaModel micro() {
        return LlamaModel.random(ModelPresets.preset("micro", ByteTokenizer.VOCAB_SIZE), ModelFixtures.TOKENIZER, 3);
    }

    @Test
    void fullFineTuningGradientsIgnoreTheCollector() {
        try (LlamaModel model = micro()) {
            assertCollectionChangesNothing(model);
        }
    }

    @Test
    void loraGradientsIgnoreTheCollector() {
        try (LlamaModel base = micro();
             LlamaModel adapted = base.withLora(new LoraConfig(2, 4, EnumSet.allOf(LoraTarget.class), 1))) {
            assertCollectionChangesNothing(adapted);
        }
    }
}

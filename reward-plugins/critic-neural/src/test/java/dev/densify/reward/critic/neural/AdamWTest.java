package dev.densify.reward.critic.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AdamWTest {

    @Test
    void theFirstStepMovesEachValueByTheLearningRateAgainstItsGradient() {
        Parameters p = new Parameters().linear("l", 1, 2, new Random(1));
        float[] before = p.get("l.weight").values().clone();
        new AdamW(0.01, 0).step(p, Map.of("l.weight", new float[] {3, -0.5f}, "l.bias", new float[] {0, 0}));
        assertEquals(before[0] - 0.01, p.get("l.weight").values()[0], 1e-6);
        assertEquals(before[1] + 0.01, p.get("l.weight").values()[1], 1e-6);
        assertArrayEquals(new float[] {0, 0}, p.get("l.bias").values(), 0);
    }

    @Test
    void weightDecayShrinksWeightsButNotBiasesOrNormParameters() {
        Parameters p = new Parameters().linear("l", 1, 1, new Random(1)).layerNorm("n", 1);
        p.get("l.bias").values()[0] = 2;
        float weight = p.get("l.weight").values()[0];
        float[] zero = {0};
        new AdamW(0.1, 0.5).step(p, Map.of("l.weight", zero, "l.bias", zero, "n.gain", zero, "n.bias", zero));
        assertEquals(weight * (1 - 0.1 * 0.5), p.get("l.weight").values()[0], 1e-6);
        assertEquals(2, p.get("l.bias").values()[0], 0);
        assertEquals(1, p.get("n.gain").values()[0], 0);
    }

    @Test
    void parametersSurviveWritingAndReadingBitForBit() throws IOException {
        Parameters p = new Parameters().linear("a", 3, 4, new Random(5)).layerNorm("b", 4).matrix("c", 4, 2,
                new Random(6));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            p.write(out);
        }
        Parameters read = Parameters.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertEquals(p.tensors().keySet(), read.tensors().keySet());
        p.tensors().forEach((name, t) -> {
            assertArrayEquals(t.values(), read.get(name).values(), 0, name);
            assertArrayEquals(t.shape(), read.get(name).shape(), name);
            assertEquals(t.decays(), read.get(name).decays(), name);
        });
    }
}

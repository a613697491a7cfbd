package dev.densify.reward.critic.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayersTest {

    @Test
    void layerNormIsTheTextbookFormulaOverTheLastAxisWithGainAndBias() {
        Random random = new Random(3);
        int rows = 5;
        int dim = 7;
        float[] x = new float[rows * dim];
        float[] gain = new float[dim];
        float[] bias = new float[dim];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextGaussian() * 3 + 1);
        }
        for (int d = 0; d < dim; d++) {
            gain[d] = (float) random.nextGaussian();
            bias[d] = (float) random.nextGaussian();
        }
        float[] expected = new float[x.length];
        for (int r = 0; r < rows; r++) {
            double mean = 0;
            for (int d = 0; d < dim; d++) {
                mean += x[r * dim + d] / (double) dim;
            }
            double variance = 0;
            for (int d = 0; d < dim; d++) {
                variance += Math.pow(x[r * dim + d] - mean, 2) / dim;
            }
            for (int d = 0; d < dim; d++) {
                double normalised = (x[r * dim + d] - mean) / Math.sqrt(variance + 1e-5);
                expected[r * dim + d] = (float) (normalised * gain[d] + bias[d]);
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray input = manager.create(x, new Shape(rows, dim));
            Map<String, NDArray> p = Map.of("n.gain", manager.create(gain), "n.bias", manager.create(bias));
            assertArrayEquals(expected, Layers.layerNorm(input, p, "n").toFloatArray(), 1e-5f);
        }
    }
}

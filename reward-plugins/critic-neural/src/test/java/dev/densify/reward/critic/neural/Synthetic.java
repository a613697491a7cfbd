package dev.densify.reward.critic.neural;

import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic states whose values are a known function of their feature rows, or pure noise. */
final class Synthetic {

    static final int DIM = 8;

    private Synthetic() {}

    /**
     * States of 1 to 4 rows of DIM features, with unequal scales and offsets per dimension (as hidden states
     * have), valued 2 tanh(a . last row) + 0.5 (b . mean of rows): the last row and the mean both matter.
     */
    static List<CriticSample> learnable(int count, long seed) {
        Random random = new Random(seed);
        List<CriticSample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            float[][] rows = rows(random);
            float[] last = normalised(rows[rows.length - 1]);
            double a = 0;
            double b = 0;
            for (int d = 0; d < DIM; d++) {
                a += (d % 3 - 1) * last[d] * 0.7;
                double mean = 0;
                for (float[] row : rows) {
                    mean += normalised(row)[d] / rows.length;
                }
                b += (d < 4 ? 1 : -0.5) * mean;
            }
            samples.add(new CriticSample(new CriticState("s" + seed + "-" + i, rows), 2 * Math.tanh(a) + 0.5 * b));
        }
        return samples;
    }

    /** Random feature rows with targets that do not depend on them. */
    static List<CriticSample> noise(int count, long seed) {
        Random random = new Random(seed);
        List<CriticSample> samples = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            samples.add(new CriticSample(new CriticState("n" + seed + "-" + i, rows(random)), random.nextGaussian()));
        }
        return samples;
    }

    private static float[][] rows(Random random) {
        float[][] rows = new float[1 + random.nextInt(4)][DIM];
        for (float[] row : rows) {
            for (int d = 0; d < DIM; d++) {
                row[d] = (float) (offset(d) + scale(d) * random.nextGaussian());
            }
        }
        return rows;
    }

    private static float[] normalised(float[] row) {
        float[] out = new float[DIM];
        for (int d = 0; d < DIM; d++) {
            out[d] = (float) ((row[d] - offset(d)) / scale(d));
        }
        return out;
    }

    private static double scale(int d) {
        return d == 0 ? 40 : 0.5 + d;
    }

    private static double offset(int d) {
        return d == 1 ? 10 : -d * 0.3;
    }
}

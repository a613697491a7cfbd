package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReturnsTest {

    private static double[] draws(int n, SplittableRandom random) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble();
        }
        return x;
    }

    @Test
    void lambdaOneAtATerminalStateIsTheDiscountedReturn() {
        qt().forAll(integers().between(1, 20), longs().all(), doubles().between(0, 1)).checkAssert((length, seed, gamma) -> {
            SplittableRandom random = new SplittableRandom(seed);
            double[] rewards = draws(length, random);
            double[] values = draws(length + 1, random);
            assertArrayEquals(Returns.discounted(rewards, gamma),
                    Returns.lambdaReturns(rewards, values, true, gamma, 1.0), 1e-12);
        });
    }

    @Test
    void lambdaZeroIsTheOneStepTarget() {
        qt().forAll(integers().between(1, 20), longs().all(), doubles().between(0, 1)).checkAssert((length, seed, gamma) -> {
            SplittableRandom random = new SplittableRandom(seed);
            double[] rewards = draws(length, random);
            double[] values = draws(length + 1, random);
            double[] targets = Returns.lambdaReturns(rewards, values, false, gamma, 0.0);
            for (int t = 0; t < length; t++) {
                assertEquals(rewards[t] + gamma * values[t + 1], targets[t], 1e-12);
            }
        });
    }

    @Test
    void exactValuesAreTheirOwnTargetsForAnyLambda() {
        // V = the discounted return of a terminal episode: every lambda-return equals V itself (a fixed point).
        qt().forAll(integers().between(1, 20), longs().all(), doubles().between(0, 1)).checkAssert((length, seed, lambda) -> {
            double[] rewards = draws(length, new SplittableRandom(seed));
            double[] returns = Returns.discounted(rewards, 0.9);
            double[] values = new double[length + 1];
            System.arraycopy(returns, 0, values, 0, length);
            assertArrayEquals(returns, Returns.lambdaReturns(rewards, values, true, 0.9, lambda), 1e-9);
        });
    }

    @Test
    void aCutEpisodeBootstrapsFromItsLastState() {
        double[] targets = Returns.lambdaReturns(new double[] {0, 0}, new double[] {0.1, 0.2, 0.5}, false, 1.0, 0.5);
        // G_1 = 0 + V(s_2) = 0.5; G_0 = 0 + 0.5 * V(s_1) + 0.5 * G_1 = 0.35
        assertArrayEquals(new double[] {0.35, 0.5}, targets, 1e-12);
    }
}

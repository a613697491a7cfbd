package dev.densify.core.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /** Parameters: a matrix [3, 4] and a vector [4]; loss = sum((W - T)^2) + sum((b - u)^2). */
    private static final class Problem implements AutoCloseable {
        final NDManager manager = NDManager.newBaseManager();
        final List<NDArray> parameters = new ArrayList<>();
        final NDArray targetMatrix;
        final NDArray targetVector;

        Problem(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            parameters.add(manager.create(random(r, 12), new Shape(3, 4)));
            parameters.add(manager.create(random(r, 4), new Shape(4)));
            parameters.forEach(p -> p.setRequiresGradient(true));
            targetMatrix = manager.create(random(r, 12), new Shape(3, 4));
            targetVector = manager.create(random(r, 4), new Shape(4));
        }

        double lossAndBackward() {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray loss = parameters.get(0).sub(targetMatrix).square().sum()
                        .add(parameters.get(1).sub(targetVector).square().sum());
                collector.backward(loss);
                return loss.getFloat();
            }
        }

        float[][] values() {
            return parameters.stream().map(NDArray::toFloatArray).toArray(float[][]::new);
        }

        void copyFrom(Problem other) {
            for (int i = 0; i < parameters.size(); i++) {
                parameters.get(i).stopGradient().set(new ai.djl.ndarray.index.NDIndex("..."),
                        other.parameters.get(i));
            }
        }

        @Override
        public void close() {
            manager.close();
        }

        private static float[] random(SplittableRandom r, int n) {
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = (float) r.nextGaussian();
            }
            return values;
        }
    }

    private static double train(Problem problem, AdamW optimizer, int steps) {
        double loss = 0;
        for (int i = 0; i < steps; i++) {
            optimizer.zeroGradients(problem.parameters);
            loss = problem.lossAndBackward();
            optimizer.step(problem.parameters);
        }
        return loss;
    }

    @Test
    void stepsDecreaseASimpleLoss() {
        qt().withExamples(5).forAll(longs().all()).checkAssert(seed -> {
            try (Problem problem = new Problem(seed); AdamW optimizer = new AdamW(0.05, 0.9, 0.999, 1e-8, 0.01)) {
                double first = problem.lossAndBackward();
                double last = train(problem, optimizer, 60);
                assertTrue(last < first / 2, "loss went from " + first + " to " + last);
                assertEquals(60, optimizer.steps());
            }
        });
    }

    @Test
    void restoredStateContinuesExactlyLikeTheOriginal() {
        qt().withExamples(5).forAll(longs().all(), integers().between(1, 6)).checkAssert((seed, split) -> {
            try (Problem original = new Problem(seed); Problem resumed = new Problem(seed);
                 AdamW first = new AdamW(0.02, 0.8, 0.99, 1e-6, 0.1);
                 AdamW second = new AdamW(0.02, 0.8, 0.99, 1e-6, 0.1)) {
                train(original, first, split);
                resumed.copyFrom(original);
                second.restoreState(first.saveState());
                assertEquals(first.steps(), second.steps());
                train(original, first, 4);
                train(resumed, second, 4);
                float[][] a = original.values();
                float[][] b = resumed.values();
                for (int i = 0; i < a.length; i++) {
                    assertArrayEquals(a[i], b[i]);
                }
                assertArrayEquals(first.saveState(), second.saveState());
            }
        });
    }

    @Test
    void aStepLeavesNoArraysOnTheParametersManager() {
        // every array an update makes is closed: nothing piles up on the manager that lives as long as the model
        try (Problem problem = new Problem(6); AdamW optimizer = AdamW.withDefaults(0.01)) {
            int live = -1;
            for (int step = 0; step < 5; step++) {
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    problem.lossAndBackward();
                }
                optimizer.clipGradNorm(problem.parameters, 0.5);
                optimizer.step(problem.parameters);
                optimizer.zeroGradients(problem.parameters);
                int now = problem.manager.getManagedArrays().size();
                if (step == 0) {
                    live = now;
                }
                assertEquals(live, now, "arrays on the parameters' manager after step " + step);
            }
        }
    }

    @Test
    void weightDecayShrinksMatricesButNotVectors() {
        try (Problem problem = new Problem(3); AdamW optimizer = new AdamW(0.1, 0.9, 0.999, 1e-8, 0.5)) {
            float[][] before = problem.values();
            optimizer.zeroGradients(problem.parameters);
            // no backward: zero gradients, so only decay moves the parameters
            optimizer.step(problem.parameters);
            float[][] after = problem.values();
            for (int i = 0; i < before[0].length; i++) {
                assertEquals(before[0][i] * (1 - 0.1 * 0.5), after[0][i], 1e-6);
            }
            assertArrayEquals(before[1], after[1]);
        }
    }

    @Test
    void clippingScalesTheGlobalNormAndReturnsItsValueBeforehand() {
        try (Problem problem = new Problem(4); AdamW optimizer = AdamW.withDefaults(0.1)) {
            problem.lossAndBackward();
            double expected = 0;
            for (NDArray p : problem.parameters) {
                for (float g : p.getGradient().toFloatArray()) {
                    expected += g * g;
                }
            }
            expected = Math.sqrt(expected);
            assertEquals(expected, optimizer.clipGradNorm(problem.parameters, 0.5), 1e-4);
            double clipped = 0;
            for (NDArray p : problem.parameters) {
                for (float g : p.getGradient().toFloatArray()) {
                    clipped += g * g;
                }
            }
            assertEquals(0.5, Math.sqrt(clipped), 1e-4);
            assertEquals(0.5, optimizer.clipGradNorm(problem.parameters, 10), 1e-4);
        }
    }

    @Test
    void aStateForOtherParametersIsRejected() {
        try (Problem problem = new Problem(5); Problem other = new Problem(6);
             AdamW optimizer = AdamW.withDefaults(0.1)) {
            train(problem, optimizer, 1);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> optimizer.step(List.of(other.parameters.get(1))));
            assertTrue(e.getMessage().contains("2 parameters"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> optimizer.restoreState(new byte[] {1, 2, 3, 4, 5}));
            byte[] state = optimizer.saveState();
            assertThrows(IllegalArgumentException.class,
                    () -> optimizer.restoreState(java.util.Arrays.copyOf(state, state.length - 3)));
        }
    }
}

package dev.densify.reward.critic.neural;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.critic.FitReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeuralCriticTest {

    private static Critic create(String head, Map<String, Object> overrides) {
        CriticProvider provider = head.equals("mlp") ? new MlpCriticProvider() : new TransformerCriticProvider();
        return provider.create(PluginConfig.of("critic", overrides));
    }

    private static Map<String, Object> quick(Object... keyValues) {
        Map<String, Object> config = new HashMap<>(Map.of("epochs", 4, "hidden", 16, "seed", 7));
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    private static List<CriticState> states(List<CriticSample> samples) {
        return samples.stream().map(CriticSample::state).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void fitsALearnableFunctionOfTheFeatures(String head) {
        List<CriticSample> heldOut = Synthetic.learnable(200, 2);
        try (Critic critic = create(head, Map.of("lr", 0.003))) {
            FitReport report = critic.fit(Synthetic.learnable(600, 1), heldOut);
            assertTrue(report.explainedVariance() > 0.9, report.toString());
            assertTrue(report.epochs() >= 1 && report.epochs() <= 50, report.toString());
            double[] predictions = critic.predict(states(heldOut));
            double[] targets = heldOut.stream().mapToDouble(CriticSample::target).toArray();
            assertEquals(FitReport.meanSquaredError(targets, predictions), report.heldOutLoss(), 1e-9);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void earlyStoppingHaltsOnNoiseAndReportsTheOverfit(String head) {
        try (Critic critic = create(head, Map.of())) {
            FitReport report = critic.fit(Synthetic.noise(400, 1), Synthetic.noise(150, 2));
            assertTrue(report.epochs() < 50, report.toString());
            assertTrue(report.explainedVariance() < 0.05, report.toString());
            assertTrue(report.trainLoss() < report.heldOutLoss(), report.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void aRestoredCriticPredictsAndContinuesExactlyLikeTheSavedOne(String head) {
        List<CriticSample> probe = Synthetic.learnable(50, 3);
        try (Critic original = create(head, quick()); Critic restored = create(head, quick())) {
            original.fit(Synthetic.learnable(200, 1), Synthetic.learnable(60, 2));
            restored.restoreState(original.saveState());
            assertArrayEquals(original.predict(states(probe)), restored.predict(states(probe)), 0);
            assertArrayEquals(original.saveState(), restored.saveState());
            // A resumed run continues identically: the next fit draws the same shuffles and dropout masks.
            List<CriticSample> next = Synthetic.learnable(200, 4);
            assertEquals(original.fit(next, probe), restored.fit(next, probe));
            assertArrayEquals(original.predict(states(probe)), restored.predict(states(probe)), 0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void twoRunsWithTheSameSeedAgreeAndADifferentSeedDoesNot(String head) {
        List<CriticSample> train = Synthetic.learnable(200, 1);
        List<CriticSample> heldOut = Synthetic.learnable(60, 2);
        try (Critic a = create(head, quick()); Critic b = create(head, quick());
             Critic other = create(head, quick("seed", 8))) {
            assertEquals(a.fit(train, heldOut), b.fit(train, heldOut));
            assertArrayEquals(a.predict(states(heldOut)), b.predict(states(heldOut)), 0);
            other.fit(train, heldOut);
            assertFalse(Arrays.equals(a.predict(states(heldOut)), other.predict(states(heldOut))));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void earlyStoppingKeepsTheBestEpochsParameters(String head) {
        List<CriticSample> train = Synthetic.noise(200, 1);
        List<CriticSample> heldOut = Synthetic.noise(80, 2);
        List<CriticSample> probe = Synthetic.noise(20, 3);
        try (Critic stopped = create(head, quick("epochs", 50, "patience", 3))) {
            FitReport report = stopped.fit(train, heldOut);
            assertTrue(report.epochs() < 50, report.toString());
            // Same seed, so a run that simply ends at the best epoch passes through identical parameters.
            try (Critic endsAtBest = create(head, quick("epochs", report.epochs() - 3, "patience", 3))) {
                FitReport best = endsAtBest.fit(train, heldOut);
                assertEquals(report.heldOutLoss(), best.heldOutLoss(), 0);
                assertArrayEquals(stopped.predict(states(probe)), endsAtBest.predict(states(probe)), 0);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void refittingNeverWorsensTheHeldOutLossBecauseTheStartingPointCompetes(String head) {
        // On noise every further epoch overfits, so the second fit's best is where it started.
        List<CriticSample> train = Synthetic.noise(200, 1);
        List<CriticSample> heldOut = Synthetic.noise(80, 2);
        try (Critic critic = create(head, quick("epochs", 50, "patience", 3))) {
            FitReport first = critic.fit(train, heldOut);
            FitReport second = critic.fit(train, heldOut);
            assertTrue(second.heldOutLoss() <= first.heldOutLoss(), first + " then " + second);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void newTargetStatisticsLeavePredictionsWhereTheyWere(String head) {
        List<CriticSample> probe = Synthetic.learnable(30, 3);
        try (Critic trained = create(head, quick()); Critic frozen = create(head, quick("lr", 1e-9, "epochs", 1))) {
            trained.fit(Synthetic.learnable(200, 1), List.of());
            frozen.restoreState(trained.saveState());
            // Targets on another scale and offset: without rescaling the output layer, every value would move.
            List<CriticSample> shifted = Synthetic.learnable(200, 4).stream()
                    .map(s -> new CriticSample(s.state(), 3 * s.target() + 5)).toList();
            frozen.fit(shifted, List.of());
            assertArrayEquals(trained.predict(states(probe)), frozen.predict(states(probe)), 1e-3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void predictsZeroBeforeTheFirstFitAndRunsAllEpochsWithoutHeldOutSamples(String head) {
        List<CriticSample> train = Synthetic.learnable(100, 1);
        try (Critic critic = create(head, quick("epochs", 3))) {
            assertArrayEquals(new double[train.size()], critic.predict(states(train)), 0);
            FitReport report = critic.fit(train, List.of());
            assertEquals(3, report.epochs());
            assertTrue(Double.isNaN(report.heldOutLoss()) && Double.isNaN(report.explainedVariance()));
            assertTrue(Double.isFinite(report.trainLoss()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void statesWithoutOrWithWrongFeaturesAreRejectedByName(String head) {
        try (Critic critic = create(head, quick("epochs", 1))) {
            IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                    () -> critic.fit(List.of(new CriticSample(CriticState.ofKey("room-3"), 1)), List.of()));
            assertTrue(none.getMessage().contains("room-3") && none.getMessage().contains(head), none.getMessage());
            critic.fit(Synthetic.learnable(20, 1), List.of());
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class,
                    () -> critic.predict(List.of(new CriticState("room-4", new float[][] {{1, 2}}))));
            assertTrue(wrong.getMessage().contains("room-4") && wrong.getMessage().contains("dimension 8"),
                    wrong.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void aStateOfAnotherArchitectureIsRefused(String head) {
        try (Critic small = create(head, quick()); Critic wide = create(head, quick("hidden", 32))) {
            small.fit(Synthetic.learnable(50, 1), List.of());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> wide.restoreState(small.saveState()));
            assertTrue(e.getMessage().contains("hidden=16"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> wide.restoreState(new byte[] {1, 2, 3}));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void aClosedCriticCannotBeUsed(String head) {
        Critic critic = create(head, quick());
        critic.close();
        critic.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> critic.predict(List.of(CriticState.ofKey("a"))));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "transformer"})
    void withMemoryASeenStateBlendsItsMeanReturnIntoTheHeadsValueByHowOftenItWasSeen(String head) {
        List<CriticSample> train = new ArrayList<>(Synthetic.learnable(100, 1));
        // One key seen three times with returns 1, 1, 0 (the rows of three different states, as observations that
        // look alike come from different states).
        for (int i = 0; i < 3; i++) {
            train.add(new CriticSample(new CriticState("seen", train.get(i).state().features()), i < 2 ? 1 : 0));
        }
        CriticState seen = new CriticState("seen", train.get(5).state().features());
        CriticState unseen = new CriticState("never", train.get(5).state().features());
        try (Critic plain = create(head, quick());
             Critic remembering = create(head, quick("memory", true, "memory_prior", 2.0))) {
            plain.fit(train, List.of());
            remembering.fit(train, List.of());
            double headValue = plain.predict(List.of(seen))[0];
            double[] values = remembering.predict(List.of(seen, unseen));
            assertEquals((2 + 2 * headValue) / (3 + 2), values[0], 1e-6);
            assertEquals(headValue, values[1], 1e-6, "an unseen key is the head's alone");

            try (Critic restored = create(head, quick("memory", true, "memory_prior", 2.0))) {
                restored.restoreState(remembering.saveState());
                assertArrayEquals(values, restored.predict(List.of(seen, unseen)));
                assertArrayEquals(remembering.saveState(), restored.saveState());
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> plain.restoreState(remembering.saveState()));
            assertTrue(e.getMessage().contains("memory"), e.getMessage());
        }
    }

    @Test
    void memoryPriorMustBePositive() {
        ConfigException e = assertThrows(ConfigException.class, () -> create("mlp", quick("memory_prior", 0.0)));
        assertTrue(e.getMessage().contains("memory_prior"), e.getMessage());
    }
}

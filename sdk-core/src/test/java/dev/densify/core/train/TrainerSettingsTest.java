package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerSettingsTest {

    /** The trainer group's defaults file with some keys overridden, bound as a run binds it. */
    private static TrainerSettings settings(Map<String, Object> overrides) {
        try (InputStream in = TrainerSettings.class.getResourceAsStream("/META-INF/densify/trainer/default.yaml")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> values = new HashMap<>(new YAMLMapper().readValue(in, Map.class));
            values.putAll(overrides);
            return PluginConfig.of("trainer", values).bind(TrainerSettings.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void somethingDoneEveryNIterationsIsDueAtEachNthAndAfterTheLastAndNeverAtZero() {
        TrainerSettings s = settings(Map.of("iterations", 10));
        StringBuilder due = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            due.append(s.dueAfter(i, 4) ? i : ".");
        }
        assertEquals("...3...7.9", due.toString());
        for (int i = 0; i < 10; i++) {
            assertTrue(!s.dueAfter(i, 0), "0 means never");
            assertTrue(s.dueAfter(i, 1), "1 means every iteration");
        }
    }

    @Test
    void theCriticKeyIsTheObservationByDefaultOrTheStateAndNothingElse() {
        assertEquals(TrainerSettings.CriticKey.OBSERVATION, settings(Map.of()).criticKey());
        assertEquals(TrainerSettings.CriticKey.STATE, settings(Map.of("critic_key", "state")).criticKey());
        ConfigException e = assertThrows(ConfigException.class, () -> settings(Map.of("critic_key", "prompt")));
        assertTrue(e.getMessage().contains("trainer.critic_key") && e.getMessage().contains("observation"),
                e.getMessage());
    }

    @Test
    void theDefaultScheduleStartsAtTheRateAndDecaysToATenthByTheLastIteration() {
        TrainerSettings s = settings(Map.of());
        assertEquals(s.lr(), s.lrAt(0), 0);
        assertEquals(s.lr() / 10, s.lrAt(s.iterations() - 1), 1e-15);
        for (int i = 1; i < s.iterations(); i++) {
            assertTrue(s.lrAt(i) < s.lrAt(i - 1), "falls at iteration " + i);
        }
    }

    @Test
    void aLongerRunStretchesTheDecayButNotAConstantRate() {
        assertEquals(-1, settings(Map.of()).firstRateChange(settings(Map.of())));
        assertEquals(1, settings(Map.of("iterations", 3)).firstRateChange(settings(Map.of("iterations", 2))));
        assertEquals(-1, settings(Map.of("iterations", 3, "lr_final_fraction", 1.0))
                .firstRateChange(settings(Map.of("iterations", 2, "lr_final_fraction", 1.0))));
        assertEquals(0, settings(Map.of("lr", 0.001)).firstRateChange(settings(Map.of())), "another rate");
    }

    @Test
    void aFinalFractionOfOneKeepsTheRateConstant() {
        TrainerSettings s = settings(Map.of("lr_final_fraction", 1.0));
        for (int i = 0; i < s.iterations(); i++) {
            assertEquals(s.lr(), s.lrAt(i), 0);
        }
    }

    @Test
    void warmupRisesToTheRateAndTheDecayEndsAtItsFractionOnTheLastIteration() {
        TrainerSettings s = settings(Map.of("iterations", 11, "lr", 0.001, "lr_warmup_iterations", 2,
                "lr_final_fraction", 0.1));
        assertEquals(0.0005, s.lrAt(0), 1e-15);
        assertEquals(0.001, s.lrAt(1), 1e-15);
        assertEquals(0.001, s.lrAt(2), 1e-15);
        assertEquals(0.0001, s.lrAt(10), 1e-15);
    }

    @Test
    void theScheduleNeverRisesAfterWarmupAndStaysWithinItsBounds() {
        qt().forAll(integers().between(1, 50), integers().between(0, 50), integers().between(0, 100))
                .checkAssert((iterations, anyWarmup, percent) -> {
                    int warmup = anyWarmup % (iterations + 1);
                    TrainerSettings s = settings(Map.of("iterations", iterations, "lr", 0.01,
                            "lr_warmup_iterations", warmup, "lr_final_fraction", percent / 100.0));
                    for (int i = 0; i < iterations; i++) {
                        double lr = s.lrAt(i);
                        assertTrue(lr >= 0 && lr <= 0.01, "iteration " + i + ": " + lr);
                        if (i > warmup) {
                            assertTrue(lr <= s.lrAt(i - 1), "rose at iteration " + i);
                        }
                    }
                });
    }

    @Test
    void aWarmupLongerThanTheRunIsRefusedWithTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> settings(Map.of("iterations", 4, "lr_warmup_iterations", 5)));
        assertEquals("trainer.lr_warmup_iterations", e.path());
    }
}

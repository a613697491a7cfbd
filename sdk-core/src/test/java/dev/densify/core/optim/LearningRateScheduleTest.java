package dev.densify.core.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {
    @Test
    void warmsUpLinearlyThenDecaysLinearlyToTheFinalFraction() {
        LearningRateSchedule s = new LearningRateSchedule(1.0, 4, 14, 0.1);
        assertEquals(0.25, s.at(0), 1e-12);
        assertEquals(1.0, s.at(3), 1e-12);
        assertEquals(1.0, s.at(4), 1e-12);
        assertEquals(0.55, s.at(9), 1e-12);
        assertEquals(0.1, s.at(14), 1e-12);
        assertEquals(0.1, s.at(1000), 1e-12);
        assertEquals(0.3, new LearningRateSchedule(0.3, 0, 0, 1).at(77), 1e-12);
    }

    @Test
    void neverExceedsThePeakAndNeverIncreasesAfterWarmup() {
        qt().withExamples(50).forAll(integers().between(0, 20), integers().between(0, 50), integers().between(0, 80))
                .checkAssert((warmup, extra, step) -> {
                    LearningRateSchedule s = new LearningRateSchedule(2.0, warmup, warmup + extra, 0.2);
                    assertTrue(s.at(step) > 0 && s.at(step) <= 2.0);
                    if (step >= warmup) {
                        assertTrue(s.at(step + 1) <= s.at(step));
                    } else {
                        assertTrue(s.at(step + 1) >= s.at(step));
                    }
                });
    }

    @Test
    void badSettingsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 5, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 0, 2, 1.5));
    }
}

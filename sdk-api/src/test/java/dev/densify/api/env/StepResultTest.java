package dev.densify.api.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepResultTest {
    private static final Observation OBS = new Observation("o", "k", List.of());

    @Test
    void environmentsOfTheFirstReleaseKeepTheirMeaning() {
        StepResult cut = new StepResult(OBS, 0, true, Map.of("truncated", "true"));
        assertEquals(StepResult.Truncation.BOOTSTRAP, cut.truncation());
        assertFalse(cut.terminal());
        StepResult end = new StepResult(OBS, 1, true, Map.of());
        assertEquals(StepResult.Truncation.NONE, end.truncation());
        assertTrue(end.terminal());
        assertEquals(StepResult.Truncation.NONE, new StepResult(OBS, 0, false, Map.of("truncated", "true")).truncation());
    }

    @Test
    void aBudgetShownInTheStateEndsForReal() {
        StepResult r = new StepResult(OBS, 0, true, Map.of(), StepResult.Truncation.BUDGET_IN_STATE);
        assertTrue(r.terminal());
    }

    @Test
    void onlyALastStepCanBeTruncated() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StepResult(OBS, 0, false, Map.of(), StepResult.Truncation.BOOTSTRAP));
        assertTrue(e.getMessage().contains("BOOTSTRAP"), e.getMessage());
    }
}

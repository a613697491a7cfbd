package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EpochCurvesTest {
    private static EpochCurves curves(double[] train, double[] validation) {
        List<EpochCurves.Epoch> epochs = new ArrayList<>();
        for (int i = 0; i < train.length; i++) {
            epochs.add(new EpochCurves.Epoch(i + 1, train[i], validation[i]));
        }
        return new EpochCurves(epochs);
    }

    @Test
    void warnsWhenValidationRoseAndTrainingFellOverThreeEpochsWithoutANewBest() {
        EpochCurves overfit = curves(new double[] {1.0, 0.8, 0.6, 0.5, 0.4, 0.3},
                new double[] {1.0, 0.9, 0.95, 1.0, 1.1, 1.2});
        assertEquals(List.of(5, 6), overfit.overfittingWarnings());
        assertTrue(overfit.warning().orElseThrow().contains("first at epoch 5"));
    }

    @Test
    void staysQuietWhenBothFallOrBothRiseOrTheRunBreaks() {
        assertTrue(curves(new double[] {1, 0.9, 0.8, 0.7, 0.6}, new double[] {1, 0.95, 0.9, 0.85, 0.8})
                .overfittingWarnings().isEmpty());
        assertTrue(curves(new double[] {1, 1.1, 1.2, 1.3, 1.4}, new double[] {1, 1.1, 1.2, 1.3, 1.4})
                .overfittingWarnings().isEmpty(), "diverging training is not overfitting");
        assertTrue(curves(new double[] {1, 0.9, 0.8, 0.7, 0.6, 0.5}, new double[] {1, 0.9, 0.95, 0.85, 0.9, 0.8})
                .overfittingWarnings().isEmpty(), "a zig-zag that keeps finding better validation losses");
        assertTrue(curves(new double[] {1, 0.9, 0.8}, new double[] {1, 2, 3}).overfittingWarnings().isEmpty(),
                "fewer epochs than the window");
    }

    @Test
    void aDipDoesNotHideTheTrend() {
        assertEquals(List.of(4, 5, 6), curves(new double[] {1, 0.9, 0.8, 0.7, 0.6, 0.5},
                new double[] {1, 1.1, 1.2, 1.1, 1.2, 1.3}).overfittingWarnings());
    }
}

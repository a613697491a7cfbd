package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {
    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void perfectPredictionsScoreR2OneAndTheMeanScoresZero() {
        qt().withExamples(200).forAll(lists().of(doubles().between(-50, 50)).ofSizeBetween(2, 40))
                .assuming(v -> v.stream().distinct().count() > 1)
                .checkAssert(values -> {
                    double[] y = array(values);
                    Evaluation perfect = Evaluation.of(y, y, false);
                    assertEquals(1, perfect.r2(), 1e-12);
                    assertEquals(0, perfect.mse(), 1e-12);
                    assertEquals(0, perfect.calibrationError(), 1e-9);
                    double mean = java.util.Arrays.stream(y).average().orElseThrow();
                    double[] constant = java.util.Arrays.stream(y).map(v -> mean).toArray();
                    assertEquals(0, Evaluation.of(constant, y, false).r2(), 1e-9);
                    assertEquals(perfect.count(), perfect.calibration().stream()
                            .mapToInt(Evaluation.CalibrationBin::count).sum());
                });
    }

    @Test
    void binaryRewardsGetAccuracyAndRocAuc() {
        double[] observed = {0, 0, 1, 1, 1};
        double[] predicted = {0.1, 0.6, 0.4, 0.8, 0.9};
        Evaluation e = Evaluation.of(predicted, observed, true);
        assertEquals(3.0 / 5, e.binary().orElseThrow().accuracy(), 1e-12);
        // positives {0.4, 0.8, 0.9} vs negatives {0.1, 0.6}: 5 of 6 pairs ordered
        assertEquals(5.0 / 6, e.binary().orElseThrow().rocAuc(), 1e-12);
        assertEquals(0.2 * 0.2 * 0 + (0.01 + 0.36 + 0.36 + 0.04 + 0.01) / 5, e.mse(), 1e-12);
        assertTrue(Double.isNaN(Evaluation.of(new double[] {0.2}, new double[] {1}, true).binary().orElseThrow()
                .rocAuc()), "one class: undefined, not made up");
    }
}

package dev.densify.rm.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingTest {
    /** Small integer scores, so that ties are common. */
    private static double[] scores(List<Integer> values) {
        return values.stream().mapToDouble(v -> v / 2.0).toArray();
    }

    private static double bruteForceAuc(double[] pos, double[] neg) {
        double count = 0;
        for (double p : pos) {
            for (double n : neg) {
                count += p > n ? 1 : p == n ? 0.5 : 0;
            }
        }
        return count / ((double) pos.length * neg.length);
    }

    @Test
    void aucEqualsTheBruteForcePairCount() {
        qt().withExamples(300).forAll(lists().of(integers().between(-4, 4)).ofSizeBetween(1, 25),
                        lists().of(integers().between(-4, 4)).ofSizeBetween(1, 25))
                .checkAssert((p, n) -> assertEquals(bruteForceAuc(scores(p), scores(n)),
                        Ranking.rocAuc(scores(p), scores(n)), 1e-12));
    }

    @Test
    void swappingTheClassesMirrorsTheAucAndItStaysInTheUnitInterval() {
        qt().withExamples(200).forAll(lists().of(integers().between(-4, 4)).ofSizeBetween(1, 20),
                        lists().of(integers().between(-4, 4)).ofSizeBetween(1, 20))
                .checkAssert((p, n) -> {
                    double auc = Ranking.rocAuc(scores(p), scores(n));
                    assertTrue(auc >= 0 && auc <= 1, "AUC " + auc);
                    assertEquals(1 - auc, Ranking.rocAuc(scores(n), scores(p)), 1e-12);
                });
    }

    @Test
    void pairwiseAccuracyCountsWinsOverTheGivenPairsWithTiesAsHalf() {
        qt().withExamples(200).forAll(lists().of(integers().between(-3, 3)).ofSizeBetween(2, 40))
                .checkAssert(values -> {
                    int half = values.size() / 2;
                    double[] pos = scores(values.subList(0, half));
                    double[] neg = scores(values.subList(half, 2 * half));
                    double wins = 0;
                    for (int i = 0; i < half; i++) {
                        wins += pos[i] > neg[i] ? 1 : pos[i] == neg[i] ? 0.5 : 0;
                    }
                    double accuracy = Ranking.pairwiseAccuracy(pos, neg);
                    assertEquals(wins / half, accuracy, 1e-12);
                    assertEquals(1 - accuracy, Ranking.pairwiseAccuracy(neg, pos), 1e-12);
                });
    }

    @Test
    void separationIsTheDifferenceOfMeansAndAntisymmetric() {
        qt().withExamples(100).forAll(lists().of(integers().between(-9, 9)).ofSizeBetween(1, 10),
                        lists().of(integers().between(-9, 9)).ofSizeBetween(1, 10))
                .checkAssert((p, n) -> {
                    double s = Ranking.separation(scores(p), scores(n));
                    assertEquals(-s, Ranking.separation(scores(n), scores(p)), 1e-12);
                });
        assertEquals(1.5, Ranking.separation(new double[] {2, 3}, new double[] {1}), 1e-12);
    }

    @Test
    void knownValues() {
        assertEquals(1.0, Ranking.rocAuc(new double[] {3, 4}, new double[] {1, 2}));
        assertEquals(0.0, Ranking.rocAuc(new double[] {1}, new double[] {2, 3}));
        assertEquals(0.5, Ranking.rocAuc(new double[] {1, 1}, new double[] {1}));
        assertEquals(1.0, Ranking.rocAuc(new double[] {0.9, 0.4}, new boolean[] {true, false}));
        assertEquals(0.5, Ranking.rocAuc(new double[] {0.9, 0.5, 0.3}, new boolean[] {true, false, true}));
        assertEquals(0.625, Ranking.pairwiseAccuracy(new double[] {1, 2, 3, 0}, new double[] {0, 1, 3, 5}));
    }

    @Test
    void undefinedOrBadInputIsRejectedWithAReason() {
        IllegalArgumentException oneClass = assertThrows(IllegalArgumentException.class,
                () -> Ranking.rocAuc(new double[] {1, 2}, new double[0]));
        assertTrue(oneClass.getMessage().contains("needs both classes"), oneClass.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ranking.rocAuc(new double[] {1, 2}, new boolean[] {true, true}));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Ranking.pairwiseAccuracy(new double[] {Double.NaN}, new double[] {1}));
        assertTrue(nan.getMessage().contains("finite"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ranking.pairwiseAccuracy(new double[] {1, 2}, new double[] {1}));
    }
}

package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class PassAtKTest {
    /** (n, c) with 1 <= n <= 200 and 0 <= c <= n. */
    private static final Gen<int[]> COUNTS = integers().between(1, 200)
            .flatMap(n -> integers().between(0, n).map(c -> new int[] {n, c}));

    /** The fraction of the k-subsets of n attempts, c of them successes, that hold a success: by counting them. */
    private static double bySubsets(int n, int c, int k) {
        long with = 0;
        long all = 0;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) == k) {
                all++;
                if ((mask & ((1 << c) - 1)) != 0) {
                    with++;
                }
            }
        }
        return (double) with / all;
    }

    @Test
    void equalsTheFractionOfKSubsetsWithASuccessForSmallN() {
        Gen<int[]> small = integers().between(1, 12).flatMap(n -> integers().between(0, n)
                .zip(integers().between(1, n), (c, k) -> new int[] {n, c, k}));
        qt().forAll(small).checkAssert(nck -> assertEquals(bySubsets(nck[0], nck[1], nck[2]),
                PassAtK.estimate(nck[0], nck[1], nck[2]), 1e-12, () -> java.util.Arrays.toString(nck)));
    }

    @Test
    void passAt1IsTheSuccessRate() {
        qt().forAll(COUNTS).checkAssert(nc -> assertEquals((double) nc[1] / nc[0], PassAtK.estimate(nc[0], nc[1], 1),
                1e-12));
    }

    @Test
    void neverFallsAsKGrowsAndStaysInZeroOne() {
        qt().forAll(COUNTS).checkAssert(nc -> {
            double previous = 0;
            for (int k = 1; k <= nc[0]; k++) {
                double p = PassAtK.estimate(nc[0], nc[1], k);
                assertTrue(p >= previous - 1e-12 && p <= 1, "pass@" + k + " = " + p + " after " + previous);
                previous = p;
            }
        });
    }

    @Test
    void isOneWhenFewerThanKAttemptsFailedAndZeroWithoutASuccess() {
        Gen<int[]> counts = COUNTS.flatMap(nc -> integers().between(1, nc[0]).map(k -> new int[] {nc[0], nc[1], k}));
        qt().forAll(counts).checkAssert(nc -> {
            int k = nc[2];
            double p = PassAtK.estimate(nc[0], nc[1], k);
            if (nc[0] - nc[1] < k) {
                assertEquals(1.0, p, 0);
            }
            if (nc[1] == 0) {
                assertEquals(0.0, p, 0);
            }
        });
    }

    @Test
    void staysFiniteWhereTheBinomialsWouldOverflow() {
        // C(2000, 1000) overflows a double; the product form does not form it
        assertEquals(0.5, PassAtK.estimate(2000, 1000, 1), 1e-12);
        double p = PassAtK.estimate(2000, 3, 1000);
        assertTrue(Double.isFinite(p) && p > 0.87 && p < 0.88, "1 - (1000*999*998)/(2000*1999*1998) = " + p);
    }

    @Test
    void theIntervalHoldsTheMeanAndIsTheSameForTheSameSeed() {
        Gen<List<Integer>> successes = lists().of(integers().between(0, 8)).ofSizeBetween(1, 20);
        qt().withExamples(100).forAll(successes).checkAssert(list -> {
            int[] counts = list.stream().mapToInt(Integer::intValue).toArray();
            PassAtK.Report report = PassAtK.of(counts, 8, List.of(1, 4, 8), 7);
            assertEquals(report.estimates(), PassAtK.of(counts, 8, List.of(1, 4, 8), 7).estimates());
            for (PassAtK.Estimate e : report.estimates()) {
                Confidence.Interval i = e.value();
                assertTrue(i.low() <= i.estimate() + 1e-12 && i.estimate() <= i.high() + 1e-12, e.toString());
            }
            assertEquals(list.stream().mapToDouble(c -> c / 8.0).average().orElseThrow(),
                    report.at(1).orElseThrow().estimate(), 1e-12);
        });
    }

    @Test
    void refusesAKAboveTheSamplesAndBadKs() {
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> PassAtK.of(new int[] {1}, 4, List.of(1, 16), 0));
        assertTrue(tooFew.getMessage().contains("pass@16 needs at least 16 samples per task, got 4"),
                tooFew.getMessage());
        assertEquals(List.of(1, 4, 16, 64), PassAtK.parseKs(" 64,1, 4,16,4"));
        for (String bad : List.of("0", "-2", "1.5", "a", "1,,4", "")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                    () -> PassAtK.parseKs(bad), bad);
            assertTrue(error.getMessage().contains("at least 1"), error.getMessage());
        }
    }
}

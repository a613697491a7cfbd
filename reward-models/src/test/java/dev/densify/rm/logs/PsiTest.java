package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.Random;
import org.junit.jupiter.api.Test;

class PsiTest {
    private static double[] normal(long seed, int n, double shift) {
        Random random = new Random(seed);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = random.nextGaussian() + shift;
        }
        return out;
    }

    @Test
    void isZeroForTheReferenceItselfAndForAnyResampleOfItsBins() {
        qt().withExamples(100).forAll(longs().all(), integers().between(1, 500), integers().between(2, 20))
                .checkAssert((seed, n, bins) -> {
                    double[] values = normal(seed, n, 0);
                    Psi psi = Psi.reference(values, bins);
                    assertEquals(0, psi.of(values), 1e-12);
                    double[] twice = new double[2 * n];
                    System.arraycopy(values, 0, twice, 0, n);
                    System.arraycopy(values, 0, twice, n, n);
                    assertEquals(0, psi.of(twice), 1e-12, "the same distribution at another sample size");
                });
    }

    @Test
    void isNonNegativeAndSymmetricInTheTwoDistributionsOverTheSameBins() {
        qt().withExamples(200).forAll(longs().all(), longs().all(), doubles().between(-2, 2))
                .checkAssert((a, b, shift) -> {
                    Psi reference = Psi.reference(normal(a, 300, 0), Psi.DEFAULT_BINS);
                    double[] e = reference.reference();
                    double[] actual = Psi.fractions(reference.edges(), normal(b, 200, shift));
                    double forward = Psi.index(actual, e);
                    assertTrue(forward >= 0, "PSI " + forward);
                    assertEquals(forward, Psi.index(e, actual), 1e-12);
                    assertEquals(forward, reference.of(normal(b, 200, shift)), 1e-12);
                });
    }

    @Test
    void growsWithTheShiftOfTheNewDistribution() {
        qt().withExamples(100).forAll(longs().all(), doubles().between(0, 1.5), doubles().between(0.2, 1.5))
                .checkAssert((seed, small, more) -> {
                    Psi reference = Psi.reference(normal(seed, 2000, 0), Psi.DEFAULT_BINS);
                    double[] fresh = normal(seed + 1, 2000, 0);
                    double near = reference.of(shift(fresh, small));
                    double far = reference.of(shift(fresh, small + more));
                    assertTrue(far > near, "PSI at shift " + (small + more) + " = " + far + ", at " + small + " = "
                            + near);
                });
    }

    private static double[] shift(double[] values, double by) {
        double[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += by;
        }
        return out;
    }

    @Test
    void verdictsFollowTheRuleOfThumbAndTiesShareABin() {
        assertEquals(Psi.Verdict.STABLE, Psi.Verdict.of(0.0999));
        assertEquals(Psi.Verdict.MODERATE, Psi.Verdict.of(0.1));
        assertEquals(Psi.Verdict.MODERATE, Psi.Verdict.of(0.25));
        assertEquals(Psi.Verdict.DRIFTED, Psi.Verdict.of(0.2501));
        Psi binary = Psi.reference(new double[] {0, 0, 0, 1}, 10);
        assertEquals(1, binary.edges().length, "a 0/1 reference has two bins");
        assertEquals(0.75, binary.reference()[0]);
        // all new rewards 1: a = (1e-4 floor, 1), e = (0.75, 0.25)
        double expected = (1e-4 - 0.75) * Math.log(1e-4 / 0.75) + (1 - 0.25) * Math.log(1 / 0.25);
        assertEquals(expected, binary.of(new double[] {1, 1}), 1e-12);
        assertEquals(Psi.Verdict.DRIFTED, Psi.Verdict.of(binary.of(new double[] {1, 1})));
    }
}

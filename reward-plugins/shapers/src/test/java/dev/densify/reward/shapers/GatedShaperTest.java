package dev.densify.reward.shapers;

import static dev.densify.reward.shapers.Episodes.episodes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;

import dev.densify.api.env.Outcome;
import dev.densify.api.reward.ShapingInput;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GatedShaperTest {

    private static double[] gate(double delta, ShapingInput e) {
        return new GatedShaper(new GatedShaperConfig(delta)).shape(e);
    }

    @Test
    @DisplayName("process rewards pass unchanged when the outcome reaches delta and are zeroed otherwise")
    void gatesOnTheOutcome() {
        qt().forAll(episodes(0, 20), doubles().between(-10, 10)).checkAssert((e, delta) -> {
            double[] gated = gate(delta, e);
            double[] expected = e.outcome().reward() >= delta ? e.stepRewards() : new double[e.length()];
            assertArrayEquals(expected, gated, 0);
        });
    }

    @Test
    @DisplayName("the threshold is inclusive: an outcome equal to delta opens the gate")
    void thresholdIsInclusive() {
        double[] rewards = {0.25, -0.5, 0.75};
        assertArrayEquals(rewards, gate(1.0, new ShapingInput(rewards, new Outcome(1.0, true), new double[4], true)), 0);
        assertArrayEquals(new double[3],
                gate(1.0, new ShapingInput(rewards, new Outcome(Math.nextDown(1.0), false), new double[4], true)), 0);
    }

    @Test
    @DisplayName("G-RA total = R_high + sum of gated rewards: a failed outcome cannot be paid for by process rewards")
    void failedOutcomesGainNothingFromProcessRewards() {
        qt().forAll(episodes(1, 20), doubles().between(-10, 10)).checkAssert((e, delta) -> {
            double total = Episodes.sum(Episodes.withOutcome(gate(delta, e), e.outcome().reward()));
            double expected = e.outcome().reward() + (e.outcome().reward() >= delta ? Episodes.sum(e.stepRewards()) : 0);
            org.junit.jupiter.api.Assertions.assertEquals(expected, total, 1e-9 * Episodes.scaleOf(expected));
        });
    }
}

package dev.densify.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.longs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Each check accepts exactly the values of its interval and rejects the others naming the key and the bounds. */
class RangesTest {
    @Test
    void wholeNumbersAreRejectedBelowTheirBoundSayingWhatIsAllowed() {
        qt().forAll(longs().between(-1000, 1000), longs().between(-3, 3)).checkAssert((value, min) -> {
            check(value >= min, () -> Ranges.requireAtLeast("a.count", value, min),
                    "a.count: " + value + " is not allowed; expected " + min + " or more");
            check(value > 0, () -> Ranges.requirePositive("a.count", value),
                    "a.count: " + value + " is not allowed; expected a positive number");
        });
    }

    @Test
    void decimalsAreRejectedOutsideTheirIntervalNamingItsKindOfBounds() {
        qt().forAll(doubles().between(-2, 2)).checkAssert(value -> {
            check(value >= 0 && value <= 1, () -> Ranges.requireBetween("x", value, 0, 1),
                    "x: must be in [0.0, 1.0], got " + value);
            check(value >= 0 && value < 1, () -> Ranges.requireAtLeastAndBelow("x", value, 0, 1),
                    "x: must be in [0.0, 1.0), got " + value);
            check(value > 0 && value < 1, () -> Ranges.requireAboveAndBelow("x", value, 0, 1),
                    "x: must be in (0.0, 1.0), got " + value);
            check(value > 0 && value <= 1, () -> Ranges.requirePositiveAtMost("x", value, 1),
                    "x: must be in (0.0, 1.0], got " + value);
            check(value >= 1, () -> Ranges.requireAtLeast("x", value, 1),
                    "x: must be a finite number >= 1.0, got " + value);
        });
    }

    @Test
    void aTaskSetNeedsATrainingTaskAndATaskToEvaluateOn() {
        qt().forAll(longs().between(-2, 3), longs().between(-2, 3), longs().between(-2, 3)).checkAssert((t, h, x) -> {
            int train = t.intValue();
            int heldOut = h.intValue();
            int harder = x.intValue();
            String first = train < 1 ? "env.train_tasks: " + train + " is not allowed; expected 1 or more"
                    : heldOut < 0 ? "env.held_out_tasks: " + heldOut + " is not allowed; expected 0 or more"
                    : harder < 0 ? "env.harder_tasks: " + harder + " is not allowed; expected 0 or more"
                    : "env.held_out_tasks: held_out_tasks + harder_tasks is 0; expected 1 or more";
            check(train >= 1 && heldOut >= 0 && harder >= 0 && heldOut + harder >= 1,
                    () -> Ranges.requireTaskCounts("env.", train, heldOut, harder), first);
        });
    }

    @Test
    void aStepBudgetIsZeroOrMoreAndItsFactorBetweenOneAndAHundred() {
        qt().forAll(longs().between(-3, 3), doubles().between(0, 120)).checkAssert((b, factor) -> {
            int budget = b.intValue();
            String first = budget < 0 ? "step_budget: " + budget + " is negative; expected 0 (automatic) or more"
                    : "budget_factor: must be in [1.0, 100.0], got " + factor;
            check(budget >= 0 && factor >= 1 && factor <= 100, () -> Ranges.requireStepBudget("", budget, factor),
                    first);
        });
    }

    private static void check(boolean allowed, Executable check, String message) {
        if (allowed) {
            try {
                check.execute();
            } catch (Throwable e) {
                throw new AssertionError("rejected an allowed value: " + e.getMessage(), e);
            }
        } else {
            assertEquals(message, assertThrows(ConfigException.class, check).getMessage());
        }
    }
}

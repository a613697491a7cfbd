package dev.densify.api.reward;

import dev.densify.api.API;
import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import java.util.List;
import java.util.Objects;

/**
 * One episode as a shaper sees it.
 *
 * @param stepRewards r_0..r_{T-1}, without the outcome
 * @param outcome the sparse outcome of the episode
 * @param values critic values V(s_0)..V(s_T), T + 1 of them, as predicted (not yet zeroed at a terminal s_T)
 * @param terminated whether s_T is terminal (then Phi(s_T) = 0) rather than a truncation point
 * @param steps the episode's steps (observations, actions, info with {@code Signals}), T of them, for shapers that
 *     read text or signals; empty when the caller has none (synthetic inputs), which such shapers must refuse
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ShapingInput(double[] stepRewards, Outcome outcome, double[] values, boolean terminated,
                           List<Step> steps) {
    /** An episode without its steps (the form of densify 0.1). */
    public ShapingInput(double[] stepRewards, Outcome outcome, double[] values, boolean terminated) {
        this(stepRewards, outcome, values, terminated, List.of());
    }

    public ShapingInput {
        Objects.requireNonNull(stepRewards, "stepRewards");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(values, "values");
        if (values.length != stepRewards.length + 1) {
            throw new IllegalArgumentException("values must hold T + 1 = " + (stepRewards.length + 1)
                    + " entries, got " + values.length);
        }
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        if (!steps.isEmpty() && steps.size() != stepRewards.length) {
            throw new IllegalArgumentException("steps must be empty or hold T = " + stepRewards.length
                    + " entries, got " + steps.size());
        }
    }

    public int length() {
        return stepRewards.length;
    }
}

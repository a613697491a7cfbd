package dev.densify.api.env;

import dev.densify.api.API;

/**
 * What one step produced: the next observation, the step's own reward, whether the episode ended and, if it ended
 * without reaching a true end, how it was cut.
 *
 * @param truncation {@link Truncation#NONE} unless {@code done} came from a limit rather than from the task
 */
@API(status = API.Status.STABLE, since = "0.1")
public record StepResult(Observation observation, double reward, boolean done, java.util.Map<String, String> info,
                         Truncation truncation) {

    /**
     * How an episode that stopped at a limit relates to the value of its last state. Critics and advantage
     * estimators treat the last state as worth nothing when the episode ended for real, and bootstrap from the
     * critic's value there when it was cut by a limit the state does not show.
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public enum Truncation {
        /** Not cut: when done, the episode ended for real (the task was solved or failed for good). */
        NONE,
        /** Cut by a limit the observation does not show: the last state is worth what the critic says. */
        BOOTSTRAP,
        /**
         * Cut by a budget that is part of the state (the observation shows the steps left): the last state is
         * terminal, worth nothing, like a real end.
         */
        BUDGET_IN_STATE
    }

    public StepResult {
        java.util.Objects.requireNonNull(observation, "observation");
        info = java.util.Map.copyOf(java.util.Objects.requireNonNull(info, "info"));
        java.util.Objects.requireNonNull(truncation, "truncation");
        if (!done && truncation != Truncation.NONE) {
            throw new IllegalArgumentException("a step that does not end the episode cannot be truncated ("
                    + truncation + ")");
        }
    }

    /**
     * The form environments built against densify 0.1 use: an {@code info} entry {@code truncated=true} on the last
     * step means {@link Truncation#BOOTSTRAP}, as it always has.
     */
    public StepResult(Observation observation, double reward, boolean done, java.util.Map<String, String> info) {
        this(observation, reward, done, info, done && "true".equals(info.get("truncated"))
                ? Truncation.BOOTSTRAP : Truncation.NONE);
    }

    /** Whether the episode ended for real or at a budget the state shows: its last state is worth nothing. */
    public boolean terminal() {
        return done && truncation != Truncation.BOOTSTRAP;
    }
}

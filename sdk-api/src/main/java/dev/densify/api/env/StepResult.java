package dev.densify.api.env;

import dev.densify.api.API;

/** What one step produced: the next observation, the step's own reward and whether the episode ended. */
@API(status = API.Status.STABLE, since = "0.1")
public record StepResult(Observation observation, double reward, boolean done, java.util.Map<String, String> info) {
    public StepResult {
        java.util.Objects.requireNonNull(observation, "observation");
        info = java.util.Map.copyOf(java.util.Objects.requireNonNull(info, "info"));
    }
}

package dev.densify.api.env;

import dev.densify.api.API;

/** stateKey identifies the environment state exactly (equal keys = same state); it groups anchor states and
 *  keys tabular critics. admissibleActions may be empty when the action space is open text. */
@API(status = API.Status.STABLE, since = "0.1")
public record Observation(String text, String stateKey, java.util.List<String> admissibleActions) {
    public Observation {
        java.util.Objects.requireNonNull(text, "text");
        java.util.Objects.requireNonNull(stateKey, "stateKey");
        admissibleActions = java.util.List.copyOf(java.util.Objects.requireNonNull(admissibleActions, "admissibleActions"));
    }
}

package dev.densify.api.env;

import dev.densify.api.API;

/**
 * stateKey identifies the environment state exactly (equal keys = same state); it keys tabular critics.
 * admissibleActions may be empty when the action space is open text. anchorKey groups anchor states across the
 * episodes of a group (GiGPO): it names the situation without counters that differ between otherwise equal states
 * (steps left, turn numbers), and equals stateKey unless the environment gives one.
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Observation(String text, String stateKey, java.util.List<String> admissibleActions, String anchorKey) {
    public Observation {
        java.util.Objects.requireNonNull(text, "text");
        java.util.Objects.requireNonNull(stateKey, "stateKey");
        admissibleActions = java.util.List.copyOf(java.util.Objects.requireNonNull(admissibleActions, "admissibleActions"));
        java.util.Objects.requireNonNull(anchorKey, "anchorKey");
    }

    /** An observation whose anchor key is its state key (the form of densify 0.1). */
    public Observation(String text, String stateKey, java.util.List<String> admissibleActions) {
        this(text, stateKey, admissibleActions, stateKey);
    }
}

package dev.densify.core.prompt;

import dev.densify.api.API;
import java.util.Objects;

/**
 * One finished turn of an episode as later prompts show it: the observation and the exact token ids the policy
 * generated for it (for a demonstration, the ids of the expert's completion).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record Turn(String observation, int[] actionTokenIds) {
    public Turn {
        Objects.requireNonNull(observation, "observation");
        Objects.requireNonNull(actionTokenIds, "actionTokenIds");
    }
}

package dev.densify.core.prompt;

import dev.densify.api.API;
import java.util.List;
import java.util.Objects;

/**
 * The episode so far, what a prompt is built from: the task's instruction, the finished turns (oldest first) and
 * the observation the policy is to act on.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record AgentContext(String instruction, List<Turn> turns, String observation) {
    public AgentContext {
        Objects.requireNonNull(instruction, "instruction");
        turns = List.copyOf(Objects.requireNonNull(turns, "turns"));
        Objects.requireNonNull(observation, "observation");
    }

    /** The first observation of an episode without an instruction. */
    public static AgentContext of(String observation) {
        return new AgentContext("", List.of(), observation);
    }
}

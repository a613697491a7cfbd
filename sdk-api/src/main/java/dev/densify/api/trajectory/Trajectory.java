package dev.densify.api.trajectory;

import dev.densify.api.API;
import dev.densify.api.env.Outcome;
import java.util.List;
import java.util.Objects;

/**
 * A finished episode: steps s_0..s_{T-1}, the final state s_T and the sparse outcome. {@code terminated} is
 * true when the environment ended the episode (s_T is terminal, V(s_T) = 0) and false when it was cut at the
 * step budget (s_T is a truncation point).
 *
 * @param id unique and stable; buffers deduplicate by it
 * @param groupId episodes of the same task and iteration share it (the group of group-relative algorithms)
 */
@API(status = API.Status.STABLE, since = "0.1")
public record Trajectory(
        String id,
        String taskId,
        String groupId,
        long seed,
        long policyVersion,
        List<Step> steps,
        String finalObservation,
        String finalStateKey,
        Outcome outcome,
        boolean terminated) {

    public Trajectory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(groupId, "groupId");
        steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
        Objects.requireNonNull(finalObservation, "finalObservation");
        Objects.requireNonNull(finalStateKey, "finalStateKey");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Number of agent steps T. */
    public int length() {
        return steps.size();
    }

    /** The environment's step rewards r_0..r_{T-1}, without the outcome. */
    public double[] stepRewards() {
        return steps.stream().mapToDouble(Step::reward).toArray();
    }

    /** State keys of s_0..s_T. */
    public List<String> stateKeys() {
        var keys = new java.util.ArrayList<String>(steps.size() + 1);
        steps.forEach(s -> keys.add(s.stateKey()));
        keys.add(finalStateKey);
        return keys;
    }

    /** Number of action tokens the policy generated in this episode. */
    public int actionTokenCount() {
        return steps.stream().mapToInt(s -> s.actionTokenIds().length).sum();
    }
}

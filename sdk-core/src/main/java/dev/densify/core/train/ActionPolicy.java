package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.core.prompt.AgentContext;
import java.util.List;

/** Chooses actions for a batch of observations at once (one batched generation for all live episodes). */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface ActionPolicy {
    /** One sampled action per observation, in order; the same observations and seed give the same actions. */
    List<SampledAction> act(List<String> observations, long seed);

    /**
     * One sampled action per episode so far (instruction, earlier turns, current observation), in order. A policy
     * that looks at the current observation only need not override this.
     */
    default List<SampledAction> actInContext(List<AgentContext> episodes, long seed) {
        return act(episodes.stream().map(AgentContext::observation).toList(), seed);
    }

    /** The version of the weights that produced the actions; trajectories record it. */
    long version();
}

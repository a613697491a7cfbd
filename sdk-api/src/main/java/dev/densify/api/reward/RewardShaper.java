package dev.densify.api.reward;

import dev.densify.api.API;

/**
 * A pure function from one finished episode's step rewards, outcome and critic values to per-step rewards.
 * Shapers transform the process rewards only; densify adds the outcome reward to the last step afterwards,
 * so shapers chain: each one's output is the next one's {@link ShapingInput#stepRewards()}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface RewardShaper {
    /** New per-step rewards, one per step; the input is not modified. */
    double[] shape(ShapingInput episode);
}

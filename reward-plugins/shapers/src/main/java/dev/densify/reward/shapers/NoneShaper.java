package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import java.util.Objects;

/** The sparse baseline: process rewards pass through unchanged, so only the outcome teaches. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NoneShaper implements RewardShaper {
    @Override
    public double[] shape(ShapingInput episode) {
        Objects.requireNonNull(episode, "episode");
        return episode.stepRewards().clone();
    }
}

package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import java.util.Objects;

/**
 * Gated reward accumulation (G-RA): r~_t = r_t when the outcome reward R_high reaches {@code delta}, else 0, so
 * process rewards cannot pay for an episode whose outcome failed. An episode offers two priority levels, the
 * outcome above the process rewards, so the gate has one threshold; more levels would need more reward channels
 * than the shaping contract carries.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GatedShaper implements RewardShaper {
    private final GatedShaperConfig config;

    public GatedShaper(GatedShaperConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public double[] shape(ShapingInput episode) {
        Objects.requireNonNull(episode, "episode");
        if (episode.outcome().reward() >= config.delta()) {
            return episode.stepRewards().clone();
        }
        return new double[episode.length()];
    }
}

package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import java.util.Objects;

/**
 * Gao et al.'s (2024) refinements that stop a policy from farming process rewards with extra steps.
 * Clip: r_t becomes min(r_t - eta, 0), so every step costs and extra steps never raise the return.
 * Delta: r_t becomes r_t - r_{t+1}, and 0 on the last step, so the return from step t telescopes to
 * r_t - r_{T-1} and stays bounded whatever the length. Clip-delta applies clip, then delta.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ClipDeltaShaper implements RewardShaper {
    private final ClipDeltaShaperConfig config;

    public ClipDeltaShaper(ClipDeltaShaperConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public double[] shape(ShapingInput episode) {
        Objects.requireNonNull(episode, "episode");
        double[] rewards = episode.stepRewards();
        return switch (config.mode()) {
            case CLIP -> clip(rewards);
            case DELTA -> delta(rewards);
            case CLIP_DELTA -> delta(clip(rewards));
        };
    }

    private double[] clip(double[] rewards) {
        double[] clipped = new double[rewards.length];
        for (int t = 0; t < rewards.length; t++) {
            clipped[t] = Math.min(rewards[t] - config.eta(), 0);
        }
        return clipped;
    }

    private static double[] delta(double[] rewards) {
        double[] delta = new double[rewards.length];
        for (int t = 0; t + 1 < rewards.length; t++) {
            delta[t] = rewards[t] - rewards[t + 1];
        }
        return delta;
    }
}

package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import java.util.Objects;

/**
 * Potential-based shaping (Ng, Harada and Russell 1999) over the critic: r'_t = r_t + F_t with
 * F_t = gamma * Phi(s_{t+1}) - Phi(s_t) and Phi = lambda * V. Phi(s_T) is 0 when the episode terminated, so the
 * shaping adds exactly -Phi(s_0) to every return from s_0 and cannot change which behaviour is best; at a
 * truncation point Phi(s_T) keeps the critic's value, which stands in for the unseen rest of the episode.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PotentialShaper implements RewardShaper {
    private final PotentialShaperConfig config;

    public PotentialShaper(PotentialShaperConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public double[] shape(ShapingInput episode) {
        Objects.requireNonNull(episode, "episode");
        double[] rewards = episode.stepRewards();
        double[] values = episode.values();
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("critic value V(s_" + i + ") is " + values[i]
                        + "; potential shaping needs finite values");
            }
        }
        int length = rewards.length;
        double[] shaped = new double[length];
        for (int t = 0; t < length; t++) {
            double f = config.gamma() * potential(episode, t + 1) - potential(episode, t);
            if (config.clip() > 0) {
                f = Math.max(-config.clip(), Math.min(config.clip(), f));
            }
            shaped[t] = rewards[t] + f;
        }
        return shaped;
    }

    private double potential(ShapingInput episode, int state) {
        if (state == episode.length() && episode.terminated()) {
            return 0;
        }
        return config.lambda() * episode.values()[state];
    }
}

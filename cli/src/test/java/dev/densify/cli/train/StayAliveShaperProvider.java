package dev.densify.cli.train;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;

/**
 * A deliberately exploitable shaper for the reward-hacking alarm's test: it pays a bonus for every step taken, so
 * that under return-to-go credit the longest episodes (the ones that never reach the goal) earn the most.
 */
public final class StayAliveShaperProvider implements RewardShaperProvider {
    @Override
    public String name() {
        return "stay-alive";
    }

    @Override
    public String description() {
        return "test only: a bonus for every step (exploitable on purpose)";
    }

    @Override
    public RewardShaper create(PluginConfig config) {
        double bonus = config.getDouble("bonus", 0.3);
        return input -> {
            double[] out = input.stepRewards().clone();
            for (int t = 0; t < out.length; t++) {
                out[t] += bonus;
            }
            return out;
        };
    }
}

package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginContext;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.Objects;

/** Provides the {@code potential} shaper. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PotentialShaperProvider implements RewardShaperProvider {
    @Override
    public String name() {
        return "potential";
    }

    @Override
    public String description() {
        return "Potential-based shaping r + gamma * Phi(s') - Phi(s) with Phi = lambda * V; keeps the optimal policy";
    }

    @Override
    public RewardShaper create(PluginConfig config) {
        return new PotentialShaper(Objects.requireNonNull(config, "config").bind(PotentialShaperConfig.class));
    }

    /** In a run, the shaping discount must be the algorithm's: only then is the optimal policy kept (Ng et al.). */
    @Override
    public RewardShaper create(PluginConfig config, PluginContext context) {
        PotentialShaperConfig settings = Objects.requireNonNull(config, "config").bind(PotentialShaperConfig.class);
        if (settings.gamma() != context.discount()) {
            throw new ConfigException(config.path() + ".gamma", settings.gamma() + " differs from the algorithm's "
                    + "discount " + context.discount() + "; potential shaping keeps the optimal policy only when both "
                    + "discounts are equal");
        }
        return new PotentialShaper(settings);
    }
}

package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.RewardShaper;
import dev.densify.core.train.RewardSynthesis.Named;
import java.util.List;
import java.util.Objects;

/** The plugin instances one run uses, as selected by its configuration. */
@API(status = API.Status.INTERNAL, since = "0.1")
public record TrainingPlugins(EnvironmentProvider environment, PluginConfig environmentConfig, Critic critic,
                              List<Named<RewardShaper>> shapers, Named<Normalizer> normalizer,
                              PolicyOptimizer algorithm) {
    public TrainingPlugins {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(environmentConfig, "environmentConfig");
        Objects.requireNonNull(critic, "critic");
        shapers = List.copyOf(shapers);
        Objects.requireNonNull(normalizer, "normalizer");
        Objects.requireNonNull(algorithm, "algorithm");
    }
}

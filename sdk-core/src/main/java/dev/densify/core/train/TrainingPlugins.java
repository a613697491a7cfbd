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
import java.util.Optional;

/**
 * The plugin instances one run uses, as selected by its configuration, and the run's discount {@code gamma}: the
 * algorithm's, which the critic's Monte Carlo targets and a discounting shaper must share for shaping to telescope;
 * and the credit rule ({@code credit=progress}; empty for {@code credit=outcome}, the algorithm's own advantages).
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public record TrainingPlugins(EnvironmentProvider environment, PluginConfig environmentConfig, Critic critic,
                              List<Named<RewardShaper>> shapers, Named<Normalizer> normalizer,
                              PolicyOptimizer algorithm, double gamma, Optional<ProgressCredit> credit) {
    public TrainingPlugins {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(environmentConfig, "environmentConfig");
        Objects.requireNonNull(critic, "critic");
        shapers = List.copyOf(shapers);
        Objects.requireNonNull(normalizer, "normalizer");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(credit, "credit");
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
    }
}

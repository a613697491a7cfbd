package dev.densify.reward.critic.tabular;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import java.util.Objects;

/** Provides the {@code tabular} critic. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TabularCriticProvider implements CriticProvider {
    @Override
    public String name() {
        return "tabular";
    }

    @Override
    public String description() {
        return "Exact Monte Carlo return averages keyed by stateKey; needs no features";
    }

    @Override
    public Critic create(PluginConfig config) {
        return new TabularCritic(Objects.requireNonNull(config, "config").bind(TabularCriticConfig.class));
    }
}

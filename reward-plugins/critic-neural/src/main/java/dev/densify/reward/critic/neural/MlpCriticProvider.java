package dev.densify.reward.critic.neural;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import java.util.Objects;

/** {@code critic=mlp}: an MLP value head on the last (and mean) hidden state of the observation. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class MlpCriticProvider implements CriticProvider {

    @Override
    public String name() {
        return "mlp";
    }

    @Override
    public String description() {
        return "MLP value head (GELU, LayerNorm, dropout) on the frozen policy's hidden states, early-stopped";
    }

    @Override
    public Critic create(PluginConfig config) {
        MlpCriticConfig c = Objects.requireNonNull(config, "config").bind(MlpCriticConfig.class);
        return new NeuralCritic(name(), new MlpHead(c.hidden(), c.meanPool()), c.training());
    }
}

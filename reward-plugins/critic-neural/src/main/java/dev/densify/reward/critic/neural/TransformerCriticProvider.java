package dev.densify.reward.critic.neural;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import java.util.Objects;

/** {@code critic=transformer}: a small self-attention encoder over the observation's hidden states. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TransformerCriticProvider implements CriticProvider {

    @Override
    public String name() {
        return "transformer";
    }

    @Override
    public String description() {
        return "Self-attention value head over the frozen policy's hidden states of the observation, early-stopped";
    }

    @Override
    public Critic create(PluginConfig config) {
        TransformerCriticConfig c = Objects.requireNonNull(config, "config").bind(TransformerCriticConfig.class);
        return new NeuralCritic(name(), new TransformerHead(c.hidden(), c.heads(), c.blocks()), c.training());
    }
}

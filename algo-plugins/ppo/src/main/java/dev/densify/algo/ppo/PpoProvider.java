package dev.densify.algo.ppo;

import dev.densify.api.API;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import java.util.Objects;

/** {@code algo=ppo}: GAE advantages from the critic, PPO clipped surrogate, optional k3 KL. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PpoProvider implements PolicyOptimizerProvider {

    @Override
    public String name() {
        return "ppo";
    }

    @Override
    public String description() {
        return "PPO-clip with GAE over agent steps from the critic's values, token-mean clipped surrogate";
    }

    @Override
    public PolicyOptimizer create(PluginConfig config) {
        return new PpoOptimizer(Objects.requireNonNull(config, "config").bind(PpoConfig.class));
    }
}

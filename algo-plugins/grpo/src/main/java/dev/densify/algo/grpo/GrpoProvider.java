package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import java.util.Objects;

/** {@code algo=grpo}: group-normalised advantages without a critic, clipped surrogate and k3 KL. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GrpoProvider implements PolicyOptimizerProvider {

    @Override
    public String name() {
        return "grpo";
    }

    @Override
    public String description() {
        return "GRPO: group-normalised (dense) returns as advantages, clipped surrogate, k3 KL to the reference";
    }

    @Override
    public PolicyOptimizer create(PluginConfig config) {
        return new GrpoOptimizer(Objects.requireNonNull(config, "config").bind(GrpoConfig.class));
    }
}

package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import java.util.Objects;

/** {@code algo=rloo}: leave-one-out baselines within each group, clipped surrogate and k3 KL. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RlooProvider implements PolicyOptimizerProvider {

    @Override
    public String name() {
        return "rloo";
    }

    @Override
    public String description() {
        return "RLOO: return minus the mean return of the group's other episodes, clipped surrogate, k3 KL";
    }

    @Override
    public PolicyOptimizer create(PluginConfig config) {
        return new RlooOptimizer(Objects.requireNonNull(config, "config").bind(RlooConfig.class));
    }
}

package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import java.util.Objects;

/** {@code algo=gigpo}: episode-level group advantages plus anchor-state step advantages, no critic. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GigpoProvider implements PolicyOptimizerProvider {

    @Override
    public String name() {
        return "gigpo";
    }

    @Override
    public String description() {
        return "GiGPO: group-normalised episode advantage plus step advantage over anchor states, clipped surrogate";
    }

    @Override
    public PolicyOptimizer create(PluginConfig config) {
        return new GigpoOptimizer(Objects.requireNonNull(config, "config").bind(GigpoConfig.class));
    }
}

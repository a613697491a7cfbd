package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.Objects;

/** Provides the {@code none} shaper. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NoneShaperProvider implements RewardShaperProvider {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public String description() {
        return "Sparse baseline: process rewards unchanged, only the outcome teaches";
    }

    @Override
    public RewardShaper create(PluginConfig config) {
        Objects.requireNonNull(config, "config").bind(NoneShaperConfig.class);
        return new NoneShaper();
    }
}

package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.Objects;

/** Provides the {@code clip-delta} shaper. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ClipDeltaShaperProvider implements RewardShaperProvider {
    @Override
    public String name() {
        return "clip-delta";
    }

    @Override
    public String description() {
        return "Clip and/or Delta refinement of process rewards (Gao et al. 2024): bounded returns, no step farming";
    }

    @Override
    public RewardShaper create(PluginConfig config) {
        return new ClipDeltaShaper(Objects.requireNonNull(config, "config").bind(ClipDeltaShaperConfig.class));
    }
}

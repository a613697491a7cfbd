package dev.densify.rm.spa;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.Objects;

/** Provides the {@code spa-progress} shaper. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class SpaProgressShaperProvider implements RewardShaperProvider {
    @Override
    public String name() {
        return SpaProgressShaper.NAME;
    }

    @Override
    public String description() {
        return "SPA-RL progress attribution: per-step contributions learned online to sum to the outcome, plus a"
                + " grounding bonus for valid actions";
    }

    @Override
    public RewardShaper create(PluginConfig config) {
        return new SpaProgressShaper(Objects.requireNonNull(config, "config").bind(SpaProgressShaperConfig.class));
    }
}

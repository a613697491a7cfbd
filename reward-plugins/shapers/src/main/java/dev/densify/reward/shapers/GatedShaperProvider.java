package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.Objects;

/** Provides the {@code gated} shaper. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GatedShaperProvider implements RewardShaperProvider {
    @Override
    public String name() {
        return "gated";
    }

    @Override
    public String description() {
        return "Gated accumulation (G-RA): process rewards count only when the outcome reward reaches delta";
    }

    @Override
    public RewardShaper create(PluginConfig config) {
        return new GatedShaper(Objects.requireNonNull(config, "config").bind(GatedShaperConfig.class));
    }
}

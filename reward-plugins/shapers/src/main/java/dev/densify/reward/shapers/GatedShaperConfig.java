package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Keys of the {@code gated} shaper.
 *
 * @param delta the outcome reward an episode must reach for its process rewards to count
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record GatedShaperConfig(double delta) {
    public GatedShaperConfig {
        Ranges.requireFinite("delta", delta);
    }

    public static GatedShaperConfig defaults() {
        return PluginConfig.defaultsOf(GatedShaperConfig.class, "shaper", "gated");
    }
}

package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.Ranges;

/**
 * Keys of the {@code gated} shaper.
 *
 * @param delta the outcome reward an episode must reach for its process rewards to count. The literature does
 *     not fix a value; the default 1.0 opens the gate only for episodes with a full outcome reward of 1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record GatedShaperConfig(double delta) {
    public GatedShaperConfig {
        Ranges.requireFinite("delta", delta);
    }

    public static GatedShaperConfig defaults() {
        return new GatedShaperConfig(1.0);
    }
}

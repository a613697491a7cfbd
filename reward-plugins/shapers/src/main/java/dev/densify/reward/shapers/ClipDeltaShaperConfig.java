package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;
import java.util.Objects;

/**
 * Keys of the {@code clip-delta} shaper.
 *
 * @param mode which refinement to apply: {@code clip}, {@code delta} or {@code clip-delta} (clip, then delta)
 * @param eta the clip threshold: r^clip_t = min(r_t - eta, 0)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ClipDeltaShaperConfig(Mode mode, double eta) {
    public ClipDeltaShaperConfig {
        Objects.requireNonNull(mode, "mode");
        Ranges.requireFinite("eta", eta);
    }

    public static ClipDeltaShaperConfig defaults() {
        return PluginConfig.defaultsOf(ClipDeltaShaperConfig.class, "shaper", "clip-delta");
    }

    /** The refinement to apply; configured as {@code clip}, {@code delta} or {@code clip-delta}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Mode {
        CLIP,
        DELTA,
        CLIP_DELTA
    }
}

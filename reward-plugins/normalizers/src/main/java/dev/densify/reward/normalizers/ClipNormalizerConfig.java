package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.Ranges;

/**
 * Keys of the {@code clip} normaliser: rewards are clamped to [min, max]. The default [-1, 1] holds a unit
 * outcome reward and potential shaping over a critic of unit returns.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ClipNormalizerConfig(double min, double max) {
    public ClipNormalizerConfig {
        Ranges.requireFinite("min", min);
        Ranges.requireFinite("max", max);
        if (!(min < max)) {
            throw new IllegalArgumentException("min must be below max, got min " + min + " and max " + max);
        }
    }

    public static ClipNormalizerConfig defaults() {
        return new ClipNormalizerConfig(-1.0, 1.0);
    }
}

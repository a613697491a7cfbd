package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Keys of the {@code clip} normaliser: rewards are clamped to [min, max].
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ClipNormalizerConfig(double min, double max) {
    public ClipNormalizerConfig {
        Ranges.requireFinite("min", min);
        Ranges.requireFinite("max", max);
        if (!(min < max)) {
            throw new ConfigException("max", "min must be below max, got min " + min + " and max " + max);
        }
    }

    public static ClipNormalizerConfig defaults() {
        return PluginConfig.defaultsOf(ClipNormalizerConfig.class, "normalizer", "clip");
    }
}

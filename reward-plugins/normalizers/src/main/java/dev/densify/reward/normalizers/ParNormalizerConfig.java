package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;

/**
 * Keys of the {@code par} normaliser.
 *
 * @param center subtract 1/2, giving rewards in (-1/2, 1/2) with group mean 0. Without it, as in the formula,
 *     every step earns about 1/2, a per-step bonus that favours longer episodes, so turn it on when episode
 *     lengths differ
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ParNormalizerConfig(boolean center) {
    public static ParNormalizerConfig defaults() {
        return PluginConfig.defaultsOf(ParNormalizerConfig.class, "normalizer", "par");
    }
}

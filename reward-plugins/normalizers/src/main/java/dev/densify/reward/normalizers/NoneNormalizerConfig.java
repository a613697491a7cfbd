package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;

/** The {@code none} normaliser has no keys; binding to this record rejects any key with the list of allowed ones. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record NoneNormalizerConfig() {
    public static NoneNormalizerConfig defaults() {
        return PluginConfig.defaultsOf(NoneNormalizerConfig.class, "normalizer", "none");
    }
}

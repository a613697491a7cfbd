package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;

/** The {@code none} shaper has no keys; binding to this record rejects any key with the list of allowed ones. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record NoneShaperConfig() {
    public static NoneShaperConfig defaults() {
        return PluginConfig.defaultsOf(NoneShaperConfig.class, "shaper", "none");
    }
}

package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;
import java.util.Objects;

/**
 * Keys of the {@code group} normaliser.
 *
 * @param over what is z-scored within a group: {@code returns} (each episode's undiscounted return, which keeps
 *     every episode's ranking within its group and adds no per-step constant) or {@code steps} (the pooled per-step
 *     rewards of the group's episodes)
 * @param epsilon a group whose standard deviation is at most this is only centred, not scaled, so rounding noise
 *     in a group of equal rewards is not blown up to unit size
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record GroupNormalizerConfig(Over over, double epsilon) {
    public GroupNormalizerConfig {
        Objects.requireNonNull(over, "over");
        Ranges.requireAtLeast("epsilon", epsilon, 0);
    }

    public static GroupNormalizerConfig defaults() {
        return PluginConfig.defaultsOf(GroupNormalizerConfig.class, "normalizer", "group");
    }

    /** What the group statistics are computed over; configured as {@code returns} or {@code steps}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public enum Over {
        RETURNS,
        STEPS
    }
}

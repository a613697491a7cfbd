package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Keys of the {@code running} normaliser.
 *
 * @param epsilon added to the running variance before its square root, so a constant reward stream does not
 *     divide by zero
 * @param clip bound on |normalised reward|, 0 for none
 * @param center whether to subtract the running mean. Subtracting a mean from every step is a constant per-step
 *     bonus, which can change which trajectory is best; scaling alone cannot
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RunningNormalizerConfig(double epsilon, double clip, boolean center) {
    public RunningNormalizerConfig {
        Ranges.requirePositive("epsilon", epsilon);
        Ranges.requireAtLeast("clip", clip, 0);
    }

    public static RunningNormalizerConfig defaults() {
        return PluginConfig.defaultsOf(RunningNormalizerConfig.class, "normalizer", "running");
    }
}

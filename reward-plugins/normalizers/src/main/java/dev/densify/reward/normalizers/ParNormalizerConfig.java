package dev.densify.reward.normalizers;

import dev.densify.api.API;

/**
 * Keys of the {@code par} normaliser.
 *
 * @param center subtract 1/2, giving rewards in (-1/2, 1/2) with group mean 0. Off by default, as in the
 *     formula; every step then earns about 1/2, a per-step bonus that favours longer episodes, so turn it on
 *     when episode lengths differ
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ParNormalizerConfig(boolean center) {
    public static ParNormalizerConfig defaults() {
        return new ParNormalizerConfig(false);
    }
}

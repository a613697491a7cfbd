package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Keys of the {@code potential} shaper.
 *
 * @param lambda scale of the potential, Phi = lambda * V; 0 turns shaping off
 * @param gamma the discount of the shaping term F_t = gamma * Phi(s_{t+1}) - Phi(s_t). It must equal the
 *     discount the algorithm uses for returns: only then does the shaping telescope to -Phi(s_0) and leave the
 *     optimal policy unchanged
 * @param clip bound on |F_t|, 0 for none. A bound keeps shaped rewards within reach of the outcome when the
 *     critic is wrong, at the price of exact telescoping on the steps it clips
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record PotentialShaperConfig(double lambda, double gamma, double clip) {
    public PotentialShaperConfig {
        Ranges.requireAtLeast("lambda", lambda, 0);
        Ranges.requireBetween("gamma", gamma, 0, 1);
        Ranges.requireAtLeast("clip", clip, 0);
    }

    public static PotentialShaperConfig defaults() {
        return PluginConfig.defaultsOf(PotentialShaperConfig.class, "shaper", "potential");
    }
}

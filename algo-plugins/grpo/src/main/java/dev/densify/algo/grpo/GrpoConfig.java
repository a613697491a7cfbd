package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.Aggregation;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Configuration of {@code algo=grpo}; component names are the configuration keys.
 *
 * @param epsLow lower clip range, ratio floor 1 - epsLow; in [0, 1)
 * @param epsHigh upper clip range, ratio ceiling 1 + epsHigh; in [0, 10]. DAPO's "clip-higher" uses 0.28 to
 *     leave low-probability tokens room to grow and keep exploration alive
 * @param beta weight of the k3 KL penalty to the reference policy; in [0, 100]; 0 switches the reference off
 * @param gamma discount of the dense returns G_t; in [0, 1]
 * @param scaleByStd divide by the group's standard deviation (GRPO); false centres only (Dr. GRPO)
 * @param aggregation how token losses become one scalar: {@code token-mean} or {@code seq-mean-token-mean}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record GrpoConfig(double epsLow, double epsHigh, double beta, double gamma, boolean scaleByStd,
                         Aggregation aggregation) {

    public GrpoConfig {
        ClippedSurrogateOptimizer.requireSharedRanges(epsLow, epsHigh, beta, gamma);
        Ranges.requirePresent("aggregation", aggregation);
    }

    public static GrpoConfig defaults() {
        return PluginConfig.defaultsOf(GrpoConfig.class, "algo", "grpo");
    }
}

package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.Aggregation;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Configuration of {@code algo=rloo}; component names are the configuration keys. The loss keys mean what they
 * mean for {@link GrpoConfig}, with the same defaults, so that the two differ only in their advantages.
 *
 * @param epsLow lower clip range; in [0, 1)
 * @param epsHigh upper clip range; in [0, 10] (DAPO: 0.28)
 * @param beta weight of the k3 KL penalty to the reference policy; in [0, 100]
 * @param gamma discount of the dense returns; in [0, 1]
 * @param aggregation {@code token-mean} or {@code seq-mean-token-mean}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RlooConfig(double epsLow, double epsHigh, double beta, double gamma, Aggregation aggregation) {

    public RlooConfig {
        ClippedSurrogateOptimizer.requireSharedRanges(epsLow, epsHigh, beta, gamma);
        Ranges.requirePresent("aggregation", aggregation);
    }

    public static RlooConfig defaults() {
        return PluginConfig.defaultsOf(RlooConfig.class, "algo", "rloo");
    }
}

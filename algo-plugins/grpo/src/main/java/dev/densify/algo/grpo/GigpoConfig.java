package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.Aggregation;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Configuration of {@code algo=gigpo}; component names are the configuration keys. The loss keys mean what they
 * mean for {@link GrpoConfig}, with the same defaults.
 *
 * @param epsLow lower clip range; in [0, 1)
 * @param epsHigh upper clip range; in [0, 10] (DAPO: 0.28)
 * @param beta weight of the k3 KL penalty to the reference policy; in [0, 100]
 * @param gamma discount of the step-level returns R_t = r_t + gamma R_{t+1}; in [0, 1]
 * @param omega weight of the step-level (anchor-state) advantage; in [0, 100]
 * @param scaleByStd divide the episode-level advantage by the group's std (false: centre only)
 * @param aggregation {@code token-mean} or {@code seq-mean-token-mean}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record GigpoConfig(double epsLow, double epsHigh, double beta, double gamma, double omega,
                          boolean scaleByStd, Aggregation aggregation) {

    public GigpoConfig {
        ClippedSurrogateOptimizer.requireSharedRanges(epsLow, epsHigh, beta, gamma);
        Ranges.requireBetween("omega", omega, 0, 100);
        Ranges.requirePresent("aggregation", aggregation);
    }

    public static GigpoConfig defaults() {
        return PluginConfig.defaultsOf(GigpoConfig.class, "algo", "gigpo");
    }
}

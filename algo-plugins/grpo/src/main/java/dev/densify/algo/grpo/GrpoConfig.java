package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.Aggregation;

/**
 * Configuration of {@code algo=grpo}; component names are the configuration keys.
 *
 * @param eps_low lower clip range, ratio floor 1 - eps_low; in [0, 1)
 * @param eps_high upper clip range, ratio ceiling 1 + eps_high; in [0, 10]. DAPO's "clip-higher" uses 0.28 to
 *     leave low-probability tokens room to grow and keep exploration alive
 * @param beta weight of the k3 KL penalty to the reference policy; in [0, 100]; 0 switches the reference off
 * @param gamma discount of the dense returns G_t; in [0, 1]
 * @param scale_by_std divide by the group's standard deviation (GRPO); false centres only (Dr. GRPO)
 * @param aggregation how token losses become one scalar: {@code token-mean} or {@code seq-mean-token-mean}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record GrpoConfig(double eps_low, double eps_high, double beta, double gamma, boolean scale_by_std,
                         Aggregation aggregation) {

    public GrpoConfig {
        ConfigChecks.epsLow(eps_low);
        ConfigChecks.epsHigh(eps_high);
        ConfigChecks.beta(beta);
        ConfigChecks.inClosedRange("gamma", gamma, 0, 1);
        ConfigChecks.present("aggregation", aggregation);
    }

    /** eps 0.2 / 0.2, beta 0.04, gamma 1, std scaling on, token-mean (the values in grpo.yaml). */
    public static GrpoConfig defaults() {
        return new GrpoConfig(0.2, 0.2, 0.04, 1.0, true, Aggregation.TOKEN_MEAN);
    }
}

package dev.densify.algo.grpo;

import dev.densify.api.API;
import dev.densify.api.algo.Aggregation;

/**
 * Configuration of {@code algo=rloo}; component names are the configuration keys. The loss keys mean what they
 * mean for {@link GrpoConfig}, with the same defaults, so that the two differ only in their advantages.
 *
 * @param eps_low lower clip range; in [0, 1)
 * @param eps_high upper clip range; in [0, 10] (DAPO: 0.28)
 * @param beta weight of the k3 KL penalty to the reference policy; in [0, 100]
 * @param gamma discount of the dense returns; in [0, 1]
 * @param aggregation {@code token-mean} or {@code seq-mean-token-mean}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record RlooConfig(double eps_low, double eps_high, double beta, double gamma, Aggregation aggregation) {

    public RlooConfig {
        ConfigChecks.epsLow(eps_low);
        ConfigChecks.epsHigh(eps_high);
        ConfigChecks.beta(beta);
        ConfigChecks.inClosedRange("gamma", gamma, 0, 1);
        ConfigChecks.present("aggregation", aggregation);
    }

    /** eps 0.2 / 0.2, beta 0.04, gamma 1, token-mean (the values in rloo.yaml). */
    public static RlooConfig defaults() {
        return new RlooConfig(0.2, 0.2, 0.04, 1.0, Aggregation.TOKEN_MEAN);
    }
}

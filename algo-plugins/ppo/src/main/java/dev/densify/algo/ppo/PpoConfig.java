package dev.densify.algo.ppo;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Configuration of {@code algo=ppo}; component names are the configuration keys.
 *
 * @param gamma discount over agent steps; in [0, 1]
 * @param lam GAE's lambda; in [0, 1]. Below 1 trades a little bias from the critic for much lower variance than
 *     Monte Carlo returns (lambda = 1); lambda = 0 trusts the critic fully (one-step TD residuals)
 * @param epsLow lower clip range, ratio floor 1 - epsLow; in [0, 1)
 * @param epsHigh upper clip range, ratio ceiling 1 + epsHigh; in [0, 10] (DAPO's clip-higher: 0.28)
 * @param beta weight of the k3 KL penalty to the reference policy; in [0, 100]; 0 switches the reference off, as
 *     in standard PPO where the clip range alone keeps updates small
 * @param whiten normalise the advantages of the whole batch to mean 0 and standard deviation 1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record PpoConfig(double gamma, double lam, double epsLow, double epsHigh, double beta, boolean whiten) {

    public PpoConfig {
        Ranges.requireBetween("gamma", gamma, 0, 1);
        Ranges.requireBetween("lam", lam, 0, 1);
        Ranges.requireAtLeastAndBelow("eps_low", epsLow, 0, 1);
        Ranges.requireBetween("eps_high", epsHigh, 0, 10);
        Ranges.requireBetween("beta", beta, 0, 100);
    }

    public static PpoConfig defaults() {
        return PluginConfig.defaultsOf(PpoConfig.class, "algo", "ppo");
    }

}

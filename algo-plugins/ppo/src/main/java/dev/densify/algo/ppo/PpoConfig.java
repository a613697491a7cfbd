package dev.densify.algo.ppo;

import dev.densify.api.API;

/**
 * Configuration of {@code algo=ppo}; component names are the configuration keys.
 *
 * @param gamma discount over agent steps; in [0, 1]. 1 because episodes are short and the outcome arrives at the
 *     end: any discount would make the same success worth less for a longer (still valid) path
 * @param lam GAE's lambda; in [0, 1]. 0.95 trades a little bias from the critic for much lower variance than
 *     Monte Carlo returns (lambda = 1); lambda = 0 trusts the critic fully (one-step TD residuals)
 * @param eps_low lower clip range, ratio floor 1 - eps_low; in [0, 1)
 * @param eps_high upper clip range, ratio ceiling 1 + eps_high; in [0, 10] (DAPO's clip-higher: 0.28)
 * @param beta weight of the k3 KL penalty to the reference policy; in [0, 100]; 0 (default) switches the
 *     reference off, as in standard PPO where the clip range alone keeps updates small
 * @param whiten normalise the advantages of the whole batch to mean 0 and standard deviation 1
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record PpoConfig(double gamma, double lam, double eps_low, double eps_high, double beta, boolean whiten) {

    public PpoConfig {
        inClosedRange("gamma", gamma, 0, 1);
        inClosedRange("lam", lam, 0, 1);
        if (!(eps_low >= 0 && eps_low < 1)) {
            throw new IllegalArgumentException("eps_low must be in [0, 1), got " + eps_low);
        }
        inClosedRange("eps_high", eps_high, 0, 10);
        inClosedRange("beta", beta, 0, 100);
    }

    /** gamma 1, lam 0.95, eps 0.2 / 0.2, beta 0, whitening on (the values in ppo.yaml). */
    public static PpoConfig defaults() {
        return new PpoConfig(1.0, 0.95, 0.2, 0.2, 0.0, true);
    }

    private static void inClosedRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
        }
    }
}

package dev.densify.rm.prime;

import dev.densify.api.API;

/**
 * PRIME's outcome objective on one episode: binary cross-entropy BCE(sigmoid(x), y) of the outcome logit
 * x = beta * (sum of the episode's token log-ratios) against its label y (1 for a success, 0 otherwise).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class OutcomeLoss {
    private OutcomeLoss() {}

    /** -y log sigmoid(x) - (1 - y) log(1 - sigmoid(x)), as softplus(x) - y x = max(x, 0) - y x + log(1 + e^-|x|). */
    public static double loss(double x, double y) {
        return Math.max(x, 0) - y * x + Math.log1p(Math.exp(-Math.abs(x)));
    }

    /** d loss / dx = sigmoid(x) - y: negative for a success (raise its logit), positive for a failure. */
    public static double gradient(double x, double y) {
        return sigmoid(x) - y;
    }

    /** 1 / (1 + e^-x), without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }
}

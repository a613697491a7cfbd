package dev.densify.api.algo;

import dev.densify.api.API;
import java.util.Objects;

/**
 * Per-step advantages of one episode, and the value targets (returns) they imply for a critic.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record StepAdvantages(double[] advantages, double[] returns) {
    public StepAdvantages {
        Objects.requireNonNull(advantages, "advantages");
        Objects.requireNonNull(returns, "returns");
        if (advantages.length != returns.length) {
            throw new IllegalArgumentException("advantages and returns differ in length");
        }
    }
}

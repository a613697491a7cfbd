package dev.densify.api.critic;

import dev.densify.api.API;
import java.util.Objects;

/** A training pair for a critic: a state and the return observed from it. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record CriticSample(CriticState state, double target) {
    public CriticSample {
        Objects.requireNonNull(state, "state");
        if (!Double.isFinite(target)) {
            throw new IllegalArgumentException("target must be finite, got " + target);
        }
    }
}

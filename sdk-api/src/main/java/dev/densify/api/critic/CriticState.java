package dev.densify.api.critic;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Objects;

/**
 * A state as a critic sees it: its exact key and, for learned heads, the frozen policy's last-layer hidden
 * states over the observation's final tokens ({@code features[token][dim]}, oldest token first; the last row
 * is the hidden state at the prompt's last token). {@code features} is empty when the critic does not need it.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record CriticState(String stateKey, float[][] features) {
    public CriticState {
        Objects.requireNonNull(stateKey, "stateKey");
        Objects.requireNonNull(features, "features");
    }

    public static CriticState ofKey(String stateKey) {
        return new CriticState(stateKey, new float[0][]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CriticState s && stateKey.equals(s.stateKey) && Arrays.deepEquals(features, s.features);
    }

    @Override
    public int hashCode() {
        return 31 * stateKey.hashCode() + Arrays.deepHashCode(features);
    }

    @Override
    public String toString() {
        return "CriticState[" + stateKey + ", " + features.length + " feature rows]";
    }
}

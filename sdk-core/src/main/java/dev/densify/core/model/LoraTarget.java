package dev.densify.core.model;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A projection of every transformer block that a LoRA adapter can wrap. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum LoraTarget {
    Q(CanonicalNames.Q_PROJ),
    K(CanonicalNames.K_PROJ),
    V(CanonicalNames.V_PROJ),
    O(CanonicalNames.O_PROJ),
    GATE(CanonicalNames.GATE_PROJ),
    UP(CanonicalNames.UP_PROJ),
    DOWN(CanonicalNames.DOWN_PROJ);

    private final String weightSuffix;

    LoraTarget(String weightSuffix) {
        this.weightSuffix = weightSuffix;
    }

    /** The canonical name of the wrapped weight in the given layer, e.g. {@code model.layers.0.self_attn.q_proj.weight}. */
    public String weightName(int layer) {
        return CanonicalNames.layer(layer, weightSuffix);
    }

    /** The target named {@code q, k, v, o, gate, up} or {@code down} (any case). */
    public static LoraTarget fromName(String name) {
        String wanted = name.trim().toUpperCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(t -> t.name().equals(wanted))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown LoRA target '" + name + "', known: "
                        + Arrays.stream(values()).map(t -> t.name().toLowerCase(Locale.ROOT))
                                .collect(Collectors.joining(", "))));
    }
}

package dev.densify.core.model;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A projection of every transformer block that a LoRA adapter can wrap. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public enum LoraTarget {
    Q(WeightNames.Q),
    K(WeightNames.K),
    V(WeightNames.V),
    O(WeightNames.O),
    GATE(WeightNames.GATE),
    UP(WeightNames.UP),
    DOWN(WeightNames.DOWN);

    private final String weightSuffix;

    LoraTarget(String weightSuffix) {
        this.weightSuffix = weightSuffix;
    }

    /** The canonical name of the wrapped weight in the given layer, e.g. {@code model.layers.0.self_attn.q_proj.weight}. */
    public String weightName(int layer) {
        return WeightNames.layer(layer, weightSuffix);
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

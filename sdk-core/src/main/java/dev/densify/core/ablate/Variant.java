package dev.densify.core.ablate;

import dev.densify.api.API;
import java.util.List;
import java.util.Objects;

/** A named set of configuration overrides, e.g. {@code dense: shaper=potential}. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Variant(String name, List<String> overrides) {
    public Variant {
        Objects.requireNonNull(name, "name");
        if (!name.matches("[A-Za-z0-9_.-]+")) {
            throw new IllegalArgumentException("variant name '" + name + "' must use letters, digits, '.', '_' or '-'");
        }
        overrides = List.copyOf(overrides);
    }

    /** Parses {@code name:override,override} (as given on the command line). */
    public static Variant parse(String text) {
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("variant '" + text + "' must look like NAME:key=value[,key=value...]");
        }
        String rest = text.substring(colon + 1).trim();
        return new Variant(text.substring(0, colon).trim(),
                rest.isEmpty() ? List.of() : List.of(rest.split(",")).stream().map(String::trim).toList());
    }

    /** The default comparison: the same algorithm with sparse rewards and with potential-based dense rewards. */
    public static List<Variant> sparseVersusDense() {
        return List.of(new Variant("sparse", List.of("shaper=none")), new Variant("dense", List.of("shaper=potential")));
    }
}

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

    /**
     * The credit rules densify compares, by name: each differs from {@code sparse} in how the outcome becomes
     * per-step credit, nothing else.
     */
    public static final java.util.Map<String, List<String>> BUILT_IN = builtIn();

    private static java.util.Map<String, List<String>> builtIn() {
        var variants = new java.util.LinkedHashMap<String, List<String>>();
        variants.put("sparse", List.of("shaper=none", "credit=outcome"));
        variants.put("potential", List.of("shaper=potential", "credit=outcome"));
        variants.put("progress", List.of("shaper=none", "credit=progress"));
        // the name the default comparison prints for progress credit, so that a user can ask for it by that name
        variants.put("dense", variants.get("progress"));
        // progress credit with Monte Carlo values from 2 rollouts on forks of every state (VinePPO), not the critic's
        variants.put("progress-forks", List.of("shaper=none", "credit=progress", "credit.fork_rollouts=2"));
        variants.put("gigpo", List.of("algo=gigpo", "shaper=none", "credit=outcome"));
        // the hand-designed reward from the environment's signals: the baseline learned credit must beat
        variants.put("task-reward", List.of("shaper=task-reward", "credit=outcome"));
        // process rewards learned online from the outcomes (PRIME's implicit PRM, SPA-RL's progress attribution)
        variants.put("implicit-prm", List.of("shaper=implicit-prm", "credit=outcome"));
        variants.put("spa-progress", List.of("shaper=spa-progress", "credit=outcome"));
        return java.util.Collections.unmodifiableMap(variants);
    }

    /**
     * Parses {@code name:override,override} (as given on the command line), or the bare name of a built-in variant
     * ({@link #BUILT_IN}: sparse, potential, progress, dense (the same as progress), progress-forks, gigpo,
     * task-reward, implicit-prm, spa-progress).
     */
    public static Variant parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0 && BUILT_IN.containsKey(text.trim())) {
            return new Variant(text.trim(), BUILT_IN.get(text.trim()));
        }
        if (colon <= 0) {
            throw new IllegalArgumentException("variant '" + text + "' must look like NAME:key=value[,key=value...]"
                    + " or be one of " + BUILT_IN.keySet());
        }
        String rest = text.substring(colon + 1).trim();
        return new Variant(text.substring(0, colon).trim(),
                rest.isEmpty() ? List.of() : List.of(rest.split(",")).stream().map(String::trim).toList());
    }

    /**
     * The main job's comparison: the same algorithm with the sparse outcome as every step's credit, and with
     * per-step progress credit from the critic (the dense variant).
     */
    public static List<Variant> sparseVersusDense() {
        return List.of(new Variant("sparse", BUILT_IN.get("sparse")), new Variant("dense", BUILT_IN.get("dense")));
    }
}

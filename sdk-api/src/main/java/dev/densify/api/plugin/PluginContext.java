package dev.densify.api.plugin;

import dev.densify.api.API;
import java.util.Map;
import java.util.Objects;

/**
 * Run-level facts a plugin may need beside its own configuration node, so that rules across plugins are declared
 * by the plugin that needs them (potential shaping checks its discount against the algorithm's) rather than
 * special-cased in the training loop.
 *
 * @param seed the run's seed; a plugin that draws random numbers derives its streams from it
 * @param discount the selected algorithm's discount gamma, in [0, 1]
 * @param selected the selected option of every configuration group, e.g. {@code shaper -> potential}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record PluginContext(long seed, double discount, Map<String, String> selected) {
    public PluginContext {
        if (!(discount >= 0 && discount <= 1)) {
            throw new IllegalArgumentException("discount must be in [0, 1], got " + discount);
        }
        selected = Map.copyOf(Objects.requireNonNull(selected, "selected"));
    }

    /** The context of a plugin used outside a run (tests, tools): seed 0, discount 1, nothing else selected. */
    public static PluginContext standalone() {
        return new PluginContext(0, 1.0, Map.of());
    }

    /** A logger for the plugin selected in {@code group}, named {@code densify.<group>.<option>}. */
    public System.Logger logger(String group) {
        return System.getLogger("densify." + group + "." + selected.getOrDefault(group, "unselected"));
    }
}

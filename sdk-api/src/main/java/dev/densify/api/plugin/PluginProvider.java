package dev.densify.api.plugin;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;

/**
 * The shape shared by every extension point's provider: found by ServiceLoader, selected by {@link #name()}
 * in configuration, and creating its plugin from the plugin's configuration node.
 *
 * @param <T> what the provider creates
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PluginProvider<T> {
    /** The word that selects this provider in configuration; unique within its kind. */
    String name();

    /** One line saying what the plugin does. */
    String description();

    /** A new plugin instance configured from its node; bad configuration throws a ConfigException. */
    T create(PluginConfig config);

    /**
     * A new plugin instance for a run: providers whose configuration must agree with other plugins' (a discount
     * equal to the algorithm's) override this and check it, throwing a ConfigException naming their key. The
     * default ignores the context.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    default T create(PluginConfig config, PluginContext context) {
        return create(config);
    }
}

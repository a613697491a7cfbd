package dev.densify.api.config;

import dev.densify.api.API;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of one plugin's configuration node. Getters convert text values (from command-line
 * overrides) to the requested type and fail with a {@link ConfigException} that names the key's full path.
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface PluginConfig {

    /** The node's full dotted path from the configuration root, e.g. {@code env} or {@code trainer.eval}. */
    String path();

    /** The keys directly under this node, in declaration order. */
    Set<String> keys();

    boolean has(String key);

    String getString(String key, String defaultValue);

    int getInt(String key, int defaultValue);

    long getLong(String key, long defaultValue);

    double getDouble(String key, double defaultValue);

    boolean getBoolean(String key, boolean defaultValue);

    List<String> getStringList(String key, List<String> defaultValue);

    /** The node under {@code key}; an empty node when the key is absent. */
    PluginConfig child(String key);

    /**
     * Maps this node onto a record whose component names are the keys (a camelCase component {@code maxSteps}
     * reads the snake_case key {@code max_steps}). A missing key takes its value from the
     * record's {@code static T defaults()} when it declares one, else it is an error; an unknown key is an error
     * naming the key's full path and the allowed keys. Nested records bind nested nodes.
     */
    <T> T bind(Class<T> type);

    /** The node as plain values: maps, lists, strings, numbers and booleans. */
    Map<String, Object> asMap();

    /** A node over plain values, as a plugin's own tests and tools need it. */
    static PluginConfig of(String path, Map<String, ?> values) {
        return new MapPluginConfig(path, values);
    }

    static PluginConfig empty(String path) {
        return new MapPluginConfig(path, Map.of());
    }
}

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
     * record's {@code static T defaults()} when it declares one (written once, in the defaults file: see
     * {@link #defaultsOf}), else it is an error; an unknown key is an error naming the key's full path and the
     * allowed keys. Nested records bind nested nodes.
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

    /**
     * The defaults file of option {@code name} of {@code group}, {@code META-INF/densify/<group>/<name>.yaml} on
     * {@code loader}'s class path, as a node at path {@code group}. Its values are text, converted by
     * {@link #bind} as command-line overrides are; a key without a value is the empty text.
     *
     * @throws IllegalStateException when the file is missing or is not in the YAML subset defaults files use
     *     (comments, {@code key: value}, indented groups of keys, quoted strings, {@code [a, b]} lists, {@code {}})
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    static PluginConfig defaultsFile(ClassLoader loader, String group, String name) {
        return new MapPluginConfig(group, DefaultsFile.read(loader, group, name));
    }

    /**
     * The record {@code type} bound from its defaults file, found through {@code type}'s own class loader, with
     * every component, nested records' too, given in the file: the one place a default is written. A
     * configuration record declares {@code static T defaults()} as this one line, so that binding a partial node
     * takes the file's values:
     * <pre>{@code public static GrpoConfig defaults() { return PluginConfig.defaultsOf(GrpoConfig.class, "algo", "grpo"); }}</pre>
     *
     * @throws IllegalStateException when the file is missing, unreadable, lacks a component or holds a value the
     *     record rejects: a defect of the plugin, not of the user's configuration
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    static <T> T defaultsOf(Class<T> type, String group, String name) {
        return defaultsOf(type, group, name, "");
    }

    /**
     * As {@link #defaultsOf(Class, String, String)}, for a record that binds one group of keys of the file rather
     * than all of it: {@code block} is that group's dotted path in the file, and the node's path is
     * {@code group.block}. A block record reads its defaults where users set them, without the record of the
     * whole file, which may live in a package that depends on the block's:
     * <pre>{@code public static PromptSettings defaults() {
     *     return PluginConfig.defaultsOf(PromptSettings.class, "policy", "tiny", "prompt");
     * }}</pre>
     *
     * @throws IllegalStateException as the whole file's form does, and when the file holds no group {@code block}
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    static <T> T defaultsOf(Class<T> type, String group, String name, String block) {
        PluginConfig node = new MapPluginConfig(group, DefaultsFile.read(type.getClassLoader(), group, name));
        try {
            for (String key : block.isEmpty() ? new String[0] : block.split("\\.")) {
                if (!(node.asMap().get(key) instanceof Map)) {
                    throw new ConfigException(node.path() + "." + key, "is not a group of keys of the file");
                }
                node = node.child(key);
            }
            return ((MapPluginConfig) node).bindStrictly(type);
        } catch (ConfigException e) {
            throw new IllegalStateException(DefaultsFile.resource(group, name) + " does not bind to "
                    + type.getName() + ": " + e.getMessage(), e);
        }
    }
}

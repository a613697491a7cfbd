package dev.densify.core.config;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A validated run configuration: {@code defaults:} (the option selected in each group), one node per group, and
 * the primary file's top-level keys. It is immutable, and its YAML read back with {@code --config} composes to an
 * equal configuration.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ComposedConfig {
    /** The file name a run folder keeps its configuration under. */
    public static final String FILE_NAME = "config.yaml";
    static final String DEFAULTS = "defaults";

    private final Map<String, Object> tree;
    private final Map<String, String> selected;

    ComposedConfig(Map<String, String> selected, Map<String, Map<String, Object>> groups, Map<String, Object> topLevel) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put(DEFAULTS, selected);
        t.putAll(groups);
        t.putAll(topLevel);
        this.tree = Trees.freezeMap(t);
        this.selected = Map.copyOf(selected);
    }

    /** The composed groups, in the primary file's order. */
    public List<String> groups() {
        return List.copyOf(defaults().keySet());
    }

    /** The name of the option selected in {@code group}, e.g. {@code gridworld} for {@code env}. */
    public String selected(String group) {
        return selected.get(requireGroup(group));
    }

    /** The run-level facts plugins are created with: the run's seed, the algorithm's discount, every selection. */
    public PluginContext pluginContext() {
        Map<String, PluginConfig> groups = new LinkedHashMap<>();
        groups().forEach(g -> groups.put(g, group(g)));
        return pluginContext(selected, groups);
    }

    /**
     * The one rule for those facts, also used while composing: {@code trainer.seed} (0 without a trainer group) and
     * {@code algo.gamma} (1 without an algorithm group, or where it is unreadable or out of range: its own check
     * reports that).
     */
    static PluginContext pluginContext(Map<String, String> selected, Map<String, PluginConfig> groups) {
        long seed = 0;
        double discount = 1.0;
        try {
            if (groups.containsKey("trainer")) {
                seed = groups.get("trainer").getLong("seed", 0);
            }
            if (groups.containsKey("algo")) {
                double gamma = groups.get("algo").getDouble("gamma", 1.0);
                discount = gamma >= 0 && gamma <= 1 ? gamma : 1.0;
            }
        } catch (ConfigException e) {
            // reported by the group's own checks
        }
        return new PluginContext(seed, discount, selected);
    }

    /** The group's node as its plugin (or the engine) reads it; its path is the group name. */
    @SuppressWarnings("unchecked")
    public PluginConfig group(String group) {
        return PluginConfig.of(group, (Map<String, Object>) tree.get(requireGroup(group)));
    }

    /** The primary file's top-level keys (neither {@code defaults} nor a group), with their composed values. */
    public PluginConfig topLevel() {
        Map<String, Object> top = new LinkedHashMap<>(tree);
        top.remove(DEFAULTS);
        top.keySet().removeAll(selected.keySet());
        return PluginConfig.of("", top);
    }

    /** The whole tree as plain, unmodifiable values. */
    public Map<String, Object> asMap() {
        return tree;
    }

    public String toYaml() {
        return YamlIo.write(tree);
    }

    /**
     * Writes {@value #FILE_NAME} into the run folder (created when missing) and returns its path. The file is
     * written beside and renamed into place: resume reads it, so a crash must leave all of it or none.
     */
    public Path write(Path runFolder) {
        Objects.requireNonNull(runFolder, "runFolder");
        Path file = runFolder.resolve(FILE_NAME);
        Path temporary = runFolder.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(runFolder);
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer bytes = ByteBuffer.wrap(toYaml().getBytes(StandardCharsets.UTF_8));
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                out.force(true);
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> defaults() {
        return (Map<String, Object>) tree.get(DEFAULTS);
    }

    private String requireGroup(String group) {
        Objects.requireNonNull(group, "group");
        if (!selected.containsKey(group)) {
            throw new IllegalArgumentException("group '" + group + "' is not part of this configuration; it has "
                    + groups());
        }
        return group;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ComposedConfig c && tree.equals(c.tree);
    }

    @Override
    public int hashCode() {
        return tree.hashCode();
    }

    @Override
    public String toString() {
        return toYaml();
    }
}

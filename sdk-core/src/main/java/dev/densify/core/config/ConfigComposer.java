package dev.densify.core.config;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginContext;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composes a run configuration the way Hydra does. The primary file ({@value #PRIMARY}) selects one option per
 * group under {@code defaults:} and may set values; each group's node is then, in order: the selected option file
 * {@code META-INF/densify/<group>/<option>.yaml}, the primary file's values for the group, the user's file, and
 * the command-line overrides. The option file's keys and value types are the schema the result must follow.
 * Validation then creates every selected plugin once, so that plugins reject out-of-range values before any work
 * starts. Every problem found is reported together in one {@link ConfigValidationException}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ConfigComposer {
    /** The class path resource of the primary file. */
    public static final String PRIMARY = OptionFiles.ROOT + "densify.yaml";
    private static final Logger LOG = LoggerFactory.getLogger(ConfigComposer.class);

    /** {@code path=text} from the command line, with the text read as YAML. */
    private record Assignment(List<String> path, String text, Object parsed) {
        /**
         * The value to set: the YAML reading, except that a key whose default is a string gets the text as typed,
         * so that {@code policy.checkpoint=007} stays "007" rather than becoming the number 7.
         */
        Object valueUnder(Map<String, Object> schema, List<String> keys) {
            Object expected = schema;
            for (String key : keys) {
                expected = expected instanceof Map<?, ?> map ? map.get(key) : null;
            }
            boolean verbatim = expected instanceof String && Values.of(parsed).isScalar() && !(parsed instanceof String);
            return verbatim ? text.trim() : parsed;
        }
    }

    /**
     * Validates the composed node of a group that no plugin reads (the engine's own groups, such as
     * {@code trainer}), so that every command that composes a configuration rejects the same values a run would.
     */
    @FunctionalInterface
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public interface GroupCheck {
        /**
         * @param option the option selected in the group
         * @throws ConfigException naming the key and what is allowed
         */
        void check(String option, PluginConfig node);
    }

    private final PluginRegistry registry;
    private final OptionFiles options;
    private final Map<String, GroupCheck> checks;
    private final Map<String, String> primaryDefaults;
    private final Map<String, Object> primaryValues;
    private final Map<String, Object> topLevelSchema;

    /** A composer over the plugins and configuration files visible to the registry's class loader. */
    public ConfigComposer(PluginRegistry registry) {
        this(registry, PRIMARY);
    }

    /** As {@link #ConfigComposer(PluginRegistry)}, with another primary file (a distribution's own defaults). */
    public ConfigComposer(PluginRegistry registry, String primaryResource) {
        this(registry, primaryResource, Map.of());
    }

    /** As {@link #ConfigComposer(PluginRegistry)}, with checks of the engine's groups run by every compose. */
    public ConfigComposer(PluginRegistry registry, Map<String, GroupCheck> checks) {
        this(registry, PRIMARY, checks);
    }

    private ConfigComposer(PluginRegistry registry, String primaryResource, Map<String, GroupCheck> checks) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.checks = Map.copyOf(Objects.requireNonNull(checks, "checks"));
        this.options = new OptionFiles(registry);
        Objects.requireNonNull(primaryResource, "primaryResource");
        URL url = registry.classLoader().getResource(primaryResource);
        if (url == null) {
            throw new IllegalStateException("the primary configuration " + primaryResource + " is not on the class path");
        }
        Map<String, Object> primary = YamlIo.readMap(OptionFiles.read(url), url.toString());
        if (!(primary.remove(ComposedConfig.DEFAULTS) instanceof Map<?, ?> defaults)) {
            throw new IllegalStateException(url + " needs a 'defaults:' map of group: option");
        }
        Map<String, String> selections = new LinkedHashMap<>();
        defaults.forEach((group, option) -> {
            if (!Values.of(option).isScalar()) {
                throw new IllegalStateException(url + ": defaults." + group + " must name an option");
            }
            selections.put(String.valueOf(group), option.toString());
        });
        this.primaryDefaults = selections;
        this.primaryValues = primary;
        this.topLevelSchema = new LinkedHashMap<>(primary);
        topLevelSchema.keySet().removeAll(selections.keySet());
        selections.keySet().forEach(group -> {
            if (primary.containsKey(group) && !(primary.get(group) instanceof Map<?, ?>)) {
                throw new IllegalStateException(url + ": '" + group + "' must be a map of the group's keys");
            }
        });
    }

    /** Every configuration group, in the primary file's order. */
    public List<String> groups() {
        return List.copyOf(primaryDefaults.keySet());
    }

    /** The option names {@code group} offers on the class path. */
    public SortedSet<String> options(String group) {
        return options.known(requireGroup(group));
    }

    /**
     * The composed and validated configuration.
     *
     * @throws ConfigValidationException listing every problem, each with its key's full path
     */
    public ComposedConfig compose(ConfigRequest request) {
        Objects.requireNonNull(request, "request");
        request.groups().forEach(this::requireGroup);
        List<ConfigException> problems = new ArrayList<>();
        List<String> groups = request.groups().isEmpty() ? groups()
                : groups().stream().filter(request.groups()::contains).toList();

        Map<String, Object> file = request.configFile().map(f -> readFile(f, problems)).orElseGet(LinkedHashMap::new);
        Map<String, String> selected = new LinkedHashMap<>();
        groups.forEach(g -> selected.put(g, primaryDefaults.get(g)));
        selectFromFile(file.remove(ComposedConfig.DEFAULTS), selected, problems);
        List<Assignment> assignments = new ArrayList<>();
        request.overrides().forEach(text -> parseOverride(text, selected, assignments, problems));

        Map<String, Map<String, Object>> nodes = new LinkedHashMap<>();
        Set<String> invalid = new HashSet<>();
        for (String group : groups) {
            int before = problems.size();
            options.load(group, selected.get(group), problems).ifPresent(schema ->
                    nodes.put(group, composeGroup(group, schema, file.get(group), assignments, problems)));
            if (problems.size() > before) {
                invalid.add(group);
            }
        }
        Map<String, Object> topLevel = composeTopLevel(file, assignments, problems);

        Map<String, PluginConfig> valid = new LinkedHashMap<>();
        nodes.forEach((group, node) -> {
            if (!invalid.contains(group)) {
                valid.put(group, PluginConfig.of(group, node));
            }
        });
        PluginContext context = ComposedConfig.pluginContext(selected, valid);
        for (String group : groups) {
            Optional<PluginKind<?>> kind = PluginKind.forGroup(group);
            if (kind.isPresent() && !invalid.contains(group)) {
                createOnce(kind.get(), selected.get(group), PluginConfig.of(group, Trees.freezeMap(nodes.get(group))),
                        context, problems);
            }
            if (checks.containsKey(group) && !invalid.contains(group)) {
                check(checks.get(group), group, selected.get(group), PluginConfig.of(group,
                        Trees.freezeMap(nodes.get(group))), problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigValidationException(problems);
        }
        ComposedConfig config = new ComposedConfig(selected, nodes, topLevel);
        LOG.debug("composed configuration:\n{}", config.toYaml());
        return config;
    }

    private Map<String, Object> composeGroup(String group, Map<String, Object> schema, Object fromFile,
                                             List<Assignment> assignments, List<ConfigException> problems) {
        Map<String, Object> node = Trees.mutableMap(schema);
        if (primaryValues.get(group) instanceof Map<?, ?> primary) {
            Trees.merge(node, Trees.mutableMap(primary));
        }
        if (fromFile instanceof Map<?, ?> map) {
            Trees.merge(node, Trees.mutableMap(map));
        } else if (fromFile != null) {
            problems.add(new ConfigException(group, "expected a map of the group's keys, got " + Values.describe(fromFile)));
        }
        assignments.stream().filter(a -> a.path().get(0).equals(group)).forEach(a -> {
            List<String> keys = a.path().subList(1, a.path().size());
            Trees.set(node, keys, a.valueUnder(schema, keys));
        });
        return Schema.conform(group, schema, node, problems);
    }

    private Map<String, Object> composeTopLevel(Map<String, Object> file, List<Assignment> assignments,
                                                List<ConfigException> problems) {
        Map<String, Object> top = Trees.mutableMap(topLevelSchema);
        file.forEach((key, value) -> {
            if (topLevelSchema.containsKey(key)) {
                Trees.merge(top, Trees.mutableMap(Map.of(key, value)));
            } else if (!primaryDefaults.containsKey(key)) {
                problems.add(new ConfigException(key, unknownTopLevelKey()));
            }
        });
        assignments.stream().filter(a -> topLevelSchema.containsKey(a.path().get(0)))
                .forEach(a -> Trees.set(top, a.path(), a.valueUnder(topLevelSchema, a.path())));
        return Schema.conform("", topLevelSchema, top, problems);
    }

    private void selectFromFile(Object defaults, Map<String, String> selected, List<ConfigException> problems) {
        if (defaults == null) {
            return;
        }
        if (!(defaults instanceof Map<?, ?> map)) {
            problems.add(new ConfigException(ComposedConfig.DEFAULTS, "expected a map of group: option, got "
                    + Values.describe(defaults)));
            return;
        }
        map.forEach((group, option) -> {
            String path = ComposedConfig.DEFAULTS + "." + group;
            if (!primaryDefaults.containsKey(String.valueOf(group))) {
                problems.add(new ConfigException(path, "unknown group; groups are " + groups()));
            } else if (!Values.of(option).isScalar()) {
                problems.add(new ConfigException(path, "expected an option name, got " + Values.describe(option)));
            } else if (selected.containsKey(String.valueOf(group))) {
                selected.put(String.valueOf(group), option.toString());
            }
        });
    }

    private void parseOverride(String text, Map<String, String> selected, List<Assignment> assignments,
                               List<ConfigException> problems) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            problems.add(new ConfigException(text, "not an override; use GROUP=OPTION (e.g. env=gridworld) or "
                    + "GROUP.KEY=VALUE (e.g. trainer.iterations=50)"));
            return;
        }
        String key = text.substring(0, eq).trim();
        List<String> path = List.of(key.split("\\.", -1));
        String head = path.get(0);
        if (path.stream().anyMatch(String::isBlank)) {
            problems.add(new ConfigException(key, "a dotted key cannot have an empty part"));
        } else if (head.equals(ComposedConfig.DEFAULTS)) {
            problems.add(new ConfigException(key, "select options with GROUP=OPTION, e.g. env=gridworld"));
        } else if (primaryDefaults.containsKey(head) && path.size() == 1) {
            if (selected.containsKey(head)) {
                selected.put(head, text.substring(eq + 1).trim());
            }
        } else if (!primaryDefaults.containsKey(head) && !topLevelSchema.containsKey(head)) {
            problems.add(new ConfigException(head, unknownTopLevelKey()));
        } else {
            try {
                String value = text.substring(eq + 1);
                assignments.add(new Assignment(path, value, YamlIo.readValue(value, key)));
            } catch (ConfigException e) {
                problems.add(e);
            }
        }
    }

    private String unknownTopLevelKey() {
        return "unknown group; groups are " + groups()
                + (topLevelSchema.isEmpty() ? "" : " and other top-level keys are " + topLevelSchema.keySet());
    }

    private static Map<String, Object> readFile(Path file, List<ConfigException> problems) {
        try {
            if (!Files.isRegularFile(file)) {
                problems.add(new ConfigException(file.toString(), "no such configuration file"));
                return new LinkedHashMap<>();
            }
            return YamlIo.readMap(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (ConfigException e) {
            problems.add(e);
        } catch (java.nio.charset.CharacterCodingException e) {
            // the decoder's own message ("Input length = 1") says nothing to a user
            problems.add(new ConfigException(file.toString(), "is not YAML: it is not UTF-8 text"));
        } catch (IOException e) {
            problems.add(new ConfigException(file.toString(), "cannot be read: " + e.getMessage()));
        }
        return new LinkedHashMap<>();
    }

    private <P> void createOnce(PluginKind<P> kind, String name, PluginConfig config, PluginContext context,
                                List<ConfigException> problems) {
        try {
            Object plugin = kind.create(registry.provider(kind, name), config, context);
            if (plugin instanceof AutoCloseable closeable) {
                closeable.close();
            }
        } catch (ConfigValidationException e) {
            problems.addAll(e.problems());
        } catch (ConfigException e) {
            problems.add(e);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigException(kind.group(), String.valueOf(e.getMessage())));
        } catch (Exception | LinkageError e) {
            LOG.debug("{} plugin '{}' failed to start", kind, name, e);
            problems.add(new ConfigException(kind.group(), "the " + kind + " plugin '" + name + "' failed to start: " + e));
        }
    }

    private static void check(GroupCheck check, String group, String option, PluginConfig node,
                              List<ConfigException> problems) {
        try {
            check.check(option, node);
        } catch (ConfigValidationException e) {
            problems.addAll(e.problems());
        } catch (ConfigException e) {
            problems.add(e);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigException(group, String.valueOf(e.getMessage())));
        }
    }

    private String requireGroup(String group) {
        if (!primaryDefaults.containsKey(Objects.requireNonNull(group, "group"))) {
            throw new IllegalArgumentException("unknown group '" + group + "'; groups are " + groups());
        }
        return group;
    }
}

package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks for the defaults file a plugin jar ships at {@code META-INF/densify/<group>/<name>.yaml}: the one place a
 * plugin writes its keys and their defaults, which its configuration record's {@code static defaults()} reads with
 * {@link PluginConfig#defaultsOf}. Every kit calls {@link #assertMatchDefaults} with its configuration record so
 * that the file and the record cannot drift apart: a key the record lacks, a component the file lacks, or a
 * {@code defaults()} written out by hand with other values fails.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PluginDefaults {

    private PluginDefaults() {}

    /** Where the engine looks for the defaults of plugin {@code name} of {@code group} (e.g. {@code algo}). */
    public static String resource(String group, String name) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(name, "name");
        return "META-INF/densify/" + group + "/" + name + ".yaml";
    }

    /**
     * The shipped defaults file as keys and their values, in file order, read from the class path as
     * {@link PluginConfig#defaultsFile} reads it: values are text (lists are lists of text, nested groups maps).
     * Fails the test when the file is missing or is not in the subset of YAML defaults files use.
     */
    public static Map<String, Object> read(String group, String name) {
        String resource = resource(group, name);
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : PluginDefaults.class.getClassLoader();
        if (loader.getResource(resource) == null) {
            return fail("missing defaults file " + resource + " on the class path");
        }
        try {
            return PluginConfig.defaultsFile(loader, group, name).asMap();
        } catch (IllegalStateException e) {
            return fail(e.getMessage());
        }
    }

    /**
     * Asserts that the shipped defaults file lists exactly the keys of {@code config}, in declaration order
     * (the snake_case of the component names, as {@link PluginConfig#bind} reads them), that it binds to the
     * record with every component given, and that the record's {@code static defaults()} is that binding.
     *
     * @return the file's values, for tests that go on to build the plugin from them
     */
    public static Map<String, Object> assertMatchDefaults(String group, String name,
                                                          Class<? extends Record> config) {
        Objects.requireNonNull(config, "config");
        String resource = resource(group, name);
        Map<String, Object> file = read(group, name);
        List<String> keys = Arrays.stream(config.getRecordComponents()).map(RecordComponent::getName)
                .map(PluginDefaults::snakeCase).toList();
        assertEquals(keys, List.copyOf(file.keySet()), () -> "keys of " + resource + " and of "
                + config.getSimpleName() + differences(keys, file.keySet()));
        Object bound;
        try {
            bound = PluginConfig.defaultsOf(config, group, name);
        } catch (IllegalStateException e) {
            return fail(e.getMessage());
        }
        assertEquals(bound, defaultsOf(config), () -> config.getSimpleName() + ".defaults() is not what " + resource
                + " binds to: write it as PluginConfig.defaultsOf(" + config.getSimpleName() + ".class, \"" + group
                + "\", \"" + name + "\")");
        return file;
    }

    private static String differences(List<String> components, Collection<String> fileKeys) {
        List<String> recordLacks = fileKeys.stream().filter(k -> !components.contains(k)).toList();
        List<String> fileLacks = components.stream().filter(k -> !fileKeys.contains(k)).toList();
        if (recordLacks.isEmpty() && fileLacks.isEmpty()) {
            return " (the same keys in another order)";
        }
        return (recordLacks.isEmpty() ? "" : "; the record has no component for " + recordLacks)
                + (fileLacks.isEmpty() ? "" : "; the file lacks " + fileLacks);
    }

    private static String snakeCase(String component) {
        StringBuilder out = new StringBuilder(component.length() + 4);
        for (char ch : component.toCharArray()) {
            if (Character.isUpperCase(ch)) {
                out.append('_').append(Character.toLowerCase(ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }

    private static Object defaultsOf(Class<? extends Record> config) {
        try {
            Method defaults = config.getDeclaredMethod("defaults");
            if (!Modifier.isStatic(defaults.getModifiers()) || defaults.getReturnType() != config) {
                fail(config.getName() + ".defaults() must be static and return " + config.getSimpleName());
            }
            defaults.setAccessible(true);
            return defaults.invoke(null);
        } catch (NoSuchMethodException e) {
            return fail(config.getName() + " declares no static defaults()");
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot call " + config.getName() + ".defaults()", e);
        }
    }
}

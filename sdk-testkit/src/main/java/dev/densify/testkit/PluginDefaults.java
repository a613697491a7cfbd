package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks for the defaults file a plugin jar ships at {@code META-INF/densify/<group>/<name>.yaml}: a flat YAML of
 * {@code key: value} lines that documents every configuration key with its default. Every kit calls
 * {@link #assertMatchDefaults} with its configuration record so that the file, the record and the record's
 * {@code defaults()} cannot drift apart.
 *
 * <p>The reader handles only the flat subset the files use (comments, {@code key: value} with the value plain or in
 * quotes, and {@code {}} for a plugin without keys), so that the kit needs no YAML library.
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
     * The shipped defaults file as keys and their text values, in file order, read from the class path. Fails
     * the test when the file is missing or holds a line that is not a flat {@code key: value}.
     */
    public static Map<String, String> read(String group, String name) {
        String resource = resource(group, name);
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        InputStream in = (loader != null ? loader : PluginDefaults.class.getClassLoader())
                .getResourceAsStream(resource);
        if (in == null) {
            return fail("missing defaults file " + resource + " on the class path");
        }
        Map<String, String> values = new LinkedHashMap<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String content = line.replaceFirst("(^|\\s)#.*$", "").strip();
                if (content.isEmpty() || content.equals("{}")) {
                    continue;
                }
                int colon = content.indexOf(':');
                if (colon <= 0) {
                    fail(resource + ": not a flat 'key: value' line: " + line);
                }
                String key = content.substring(0, colon).strip();
                if (values.put(key, unquoted(content.substring(colon + 1).strip())) != null) {
                    fail(resource + ": key '" + key + "' appears twice");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
        return values;
    }

    /**
     * Asserts that the shipped defaults file lists exactly the keys of {@code config}, in declaration order
     * (the snake_case of the component names, as {@link PluginConfig#bind} reads them), and that binding the
     * file gives the record's {@code static defaults()}.
     *
     * @return the file's values, for tests that go on to build the plugin from them
     */
    public static Map<String, String> assertMatchDefaults(String group, String name,
                                                          Class<? extends Record> config) {
        Objects.requireNonNull(config, "config");
        Map<String, String> file = read(group, name);
        List<String> keys = Arrays.stream(config.getRecordComponents()).map(RecordComponent::getName)
                .map(PluginDefaults::snakeCase).toList();
        assertEquals(keys, List.copyOf(file.keySet()), "keys of " + resource(group, name) + " and of "
                + config.getSimpleName());
        assertEquals(defaultsOf(config), PluginConfig.of(group, file).bind(config),
                resource(group, name) + " binds to " + config.getSimpleName() + ".defaults()");
        return file;
    }

    /** {@code "text"} and {@code 'text'} as YAML reads them (without escapes, which the files do not use). */
    private static String unquoted(String value) {
        boolean quoted = value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                && value.charAt(value.length() - 1) == value.charAt(0);
        return quoted ? value.substring(1, value.length() - 1) : value;
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

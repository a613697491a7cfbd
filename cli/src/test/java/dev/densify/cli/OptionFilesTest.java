package dev.densify.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginProvider;
import dev.densify.core.buffer.RedisBufferProvider;
import dev.densify.core.buffer.RemoteSettings;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.config.ConfigValidationException;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.ProgressCredit;
import dev.densify.core.train.RunChecks;
import dev.densify.core.train.TrainerSettings;
import dev.densify.rm.logs.LogsSettings;
import dev.densify.rm.pref.RmSettings;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The option files of every group on the class path, each {@code META-INF/densify/<group>/<name>.yaml}: the one
 * place a default is written. A record's {@code defaults()} reads its file with sdk-api's small YAML reader
 * ({@link PluginConfig#defaultsFile}) while the engine composes the same file with Jackson, so the two must read it
 * alike; and errors name keys as users type them.
 */
class OptionFilesTest {
    private static final List<String> FAR_OUT = List.of("-1000000000", "1000000000");

    @Test
    void sdkApisReaderAndTheEngineReadEveryOptionFileAlike() {
        ClassLoader loader = getClass().getClassLoader();
        ConfigComposer composer = new ConfigComposer(PluginRegistry.discover(loader));
        int files = 0;
        for (String group : composer.groups()) {
            for (String name : composer.options(group)) {
                if (loader.getResource("META-INF/densify/" + group + "/" + name + ".yaml") == null) {
                    continue;
                }
                Map<String, Object> api = PluginConfig.defaultsFile(loader, group, name).asMap();
                Map<String, Object> engine;
                try {
                    engine = composer.compose(ConfigRequest.of(group + "=" + name).onlyGroups(group)).group(group)
                            .asMap();
                } catch (ConfigValidationException e) {
                    // an option whose file leaves a required key empty cannot be composed as it ships
                    for (ConfigException problem : e.problems()) {
                        String key = problem.path().substring(group.length() + 1);
                        assertEquals("", api.get(key), () -> group + "=" + name + " fails to compose, and not for "
                                + "a required key its file leaves empty: " + problem.getMessage());
                    }
                    continue;
                }
                assertAlike(group + "=" + name, engine, api);
                files++;
            }
        }
        assertTrue(files >= 25, "only " + files + " option files were compared");
    }

    /**
     * Each numeric key of a plugin's defaults file is set far out of range: a rejection must name a full snake_case
     * key of that plugin ({@code critic.unseen_value}, never {@code critic} or {@code unseenValue}) and mention the
     * key that was changed.
     */
    @Test
    void anOutOfRangeValueIsRejectedNamingItsSnakeCaseFullKey() throws Exception {
        List<String> problems = new ArrayList<>();
        int rejections = 0;
        for (PluginKind<?> kind : PluginKind.ALL) {
            for (Object found : ServiceLoader.load(kind.providerType())) {
                PluginProvider<?> provider = (PluginProvider<?>) found;
                if (location(provider.getClass()).equals(location(OptionFilesTest.class))) {
                    continue; // this module's test fixtures, not shipped plugins
                }
                String group = kind.group();
                String name = provider.name();
                ClassLoader loader = provider.getClass().getClassLoader();
                if (loader.getResource("META-INF/densify/" + group + "/" + name + ".yaml") == null) {
                    continue; // a plugin without keys
                }
                Class<?> record = configRecord(provider);
                rejections += rejectionsOfFarOutValues(group + "=" + name, PluginConfig.defaultsFile(loader, group, name),
                        record, node -> rejection(record, node), problems);
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
        assertTrue(rejections >= 40, "only " + rejections + " out-of-range values were rejected at all");
    }

    /**
     * The same for the engine's own groups (trainer, policy with its prompt, lora and memory blocks, credit),
     * checked as every command checks them ({@link RunChecks#checks}): {@code trainer.lr}, {@code policy.lora.rank};
     * and for the groups of {@code densify rm} and {@code densify rm logs}.
     */
    @Test
    void anOutOfRangeValueOfTheEnginesGroupsIsRejectedNamingItsSnakeCaseFullKey() throws Exception {
        Map<String, Class<?>> records = Map.of("trainer", TrainerSettings.class, "policy", PolicySettings.class,
                "credit", ProgressCredit.class);
        ClassLoader loader = getClass().getClassLoader();
        ConfigComposer composer = new ConfigComposer(PluginRegistry.discover(loader));
        List<String> problems = new ArrayList<>();
        int rejections = 0;
        for (Map.Entry<String, ConfigComposer.GroupCheck> check : RunChecks.checks().entrySet()) {
            String group = check.getKey();
            assertTrue(records.containsKey(group), () -> "which record binds the group " + group + "?");
            for (String name : composer.options(group)) {
                rejections += rejectionsOfFarOutValues(group + "=" + name, PluginConfig.defaultsFile(loader, group, name),
                        records.get(group), node -> {
                            try {
                                check.getValue().check(name, node);
                                return null;
                            } catch (RuntimeException e) {
                                return e;
                            }
                        }, problems);
            }
        }
        // the groups of densify rm and densify rm logs, composed from primaries of their own
        for (Class<?> record : List.of(RmSettings.class, LogsSettings.class)) {
            String group = record == RmSettings.class ? RmSettings.GROUP : "logs";
            rejections += rejectionsOfFarOutValues(group + "=default", PluginConfig.defaultsFile(loader, group,
                    "default"), record, node -> rejection(record, node), problems);
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
        assertTrue(rejections >= 60, "only " + rejections + " out-of-range values were rejected at all");
    }

    /**
     * Sets each numeric value of {@code file}, in nested groups too, to {@link #FAR_OUT} values one at a time and
     * collects in {@code problems} every rejection that does not name a key of the file by its full snake_case path,
     * does not mention the changed key, or names a component of {@code record}: the number of rejections.
     */
    private static int rejectionsOfFarOutValues(String option, PluginConfig file, Class<?> record,
                                                Function<PluginConfig, Exception> rejection, List<String> problems) {
        String group = file.path();
        Map<String, Object> leaves = leaves("", file.asMap());
        List<String> camelCase = components(record).stream()
                .filter(c -> !c.equals(c.toLowerCase(java.util.Locale.ROOT))).toList();
        String requiredUnset = rejection.apply(file) instanceof ConfigException e ? e.path() : null;
        int rejections = 0;
        for (Map.Entry<String, Object> leaf : leaves.entrySet()) {
            if (!isNumber(leaf.getValue())) {
                continue;
            }
            for (String value : FAR_OUT) {
                String where = option + " with " + leaf.getKey() + "=" + value + ": ";
                Exception error = rejection.apply(PluginConfig.of(group, with(file.asMap(), leaf.getKey(), value)));
                if (error == null) {
                    continue;
                }
                rejections++;
                if (!(error instanceof ConfigException e)) {
                    problems.add(where + "not a ConfigException: " + error);
                    continue;
                }
                String key = e.path().startsWith(group + ".") ? e.path().substring(group.length() + 1) : "";
                if (!leaves.containsKey(key)) {
                    problems.add(where + "the error does not name a key of " + option + " by its full path: "
                            + e.getMessage());
                } else if (!e.path().equals(requiredUnset) && !e.getMessage().contains(leaf.getKey())) {
                    problems.add(where + "the error does not mention " + leaf.getKey() + ": " + e.getMessage());
                }
                camelCase.stream().filter(e.getMessage()::contains).forEach(c -> problems.add(where
                        + "the error names the record component " + c + ": " + e.getMessage()));
            }
        }
        return rejections;
    }

    /** The values of {@code tree} by dotted key ({@code lora.rank}), groups of keys opened. */
    private static Map<String, Object> leaves(String prefix, Map<String, Object> tree) {
        Map<String, Object> out = new LinkedHashMap<>();
        tree.forEach((key, value) -> {
            if (value instanceof Map<?, ?> group) {
                Map<String, Object> inner = new LinkedHashMap<>();
                group.forEach((k, v) -> inner.put(String.valueOf(k), v));
                out.putAll(leaves(prefix + key + ".", inner));
            } else {
                out.put(prefix + key, value);
            }
        });
        return out;
    }

    /** A copy of {@code tree} with the value at dotted key {@code key} replaced. */
    private static Map<String, Object> with(Map<String, Object> tree, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(tree);
        int dot = key.indexOf('.');
        if (dot < 0) {
            copy.put(key, value);
        } else {
            Map<String, Object> inner = new LinkedHashMap<>();
            ((Map<?, ?>) tree.get(key.substring(0, dot))).forEach((k, v) -> inner.put(String.valueOf(k), v));
            copy.put(key.substring(0, dot), with(inner, key.substring(dot + 1), value));
        }
        return copy;
    }

    /** The component names of {@code record} and of the records nested in it. */
    private static List<String> components(Class<?> record) {
        List<String> names = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            names.add(c.getName());
            if (c.getType().isRecord()) {
                names.addAll(components(c.getType()));
            }
        }
        return names;
    }

    /**
     * The record a provider binds, {@code <Name>Config} beside {@code <Name>Provider}, as the contract kits find it,
     * or the one its kit's {@code configType()} names where the name differs.
     */
    private static Class<?> configRecord(PluginProvider<?> provider) {
        if (provider instanceof RedisBufferProvider) {
            return RemoteSettings.class; // as RedisTrajectoryBufferContractIT names it
        }
        String type = provider.getClass().getName();
        String config = type.replaceFirst("Provider$", "Config");
        try {
            Class<?> record = Class.forName(config, true, provider.getClass().getClassLoader());
            if (record.isRecord()) {
                return record;
            }
        } catch (ClassNotFoundException e) {
            // reported below
        }
        return fail(type + " ships a defaults file but binds no record " + config);
    }

    /**
     * What binding {@code node} throws, or null: through the record's {@code static from(PluginConfig)} when it
     * declares one (environments check keys against each other there), else {@link PluginConfig#bind}.
     */
    private static Exception rejection(Class<?> record, PluginConfig node) {
        try {
            Method from = record.getDeclaredMethod("from", PluginConfig.class);
            if (Modifier.isStatic(from.getModifiers())) {
                from.invoke(null, node);
                return null;
            }
        } catch (NoSuchMethodException e) {
            // bind below
        } catch (IllegalAccessException e) {
            return new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            return e.getCause() instanceof Exception cause ? cause : new IllegalStateException(e.getCause());
        }
        try {
            node.bind(record);
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Text the engine read as a number or null is alike when it denotes the same value; a null is the empty text. */
    private static void assertAlike(String at, Object engine, Object api) {
        if (engine instanceof Map<?, ?> e && api instanceof Map<?, ?> a) {
            assertEquals(List.copyOf(e.keySet()), List.copyOf(a.keySet()), at);
            e.forEach((k, v) -> assertAlike(at + "." + k, v, a.get(k)));
        } else if (engine instanceof List<?> e && api instanceof List<?> a) {
            assertEquals(e.size(), a.size(), at);
            for (int i = 0; i < e.size(); i++) {
                assertAlike(at + "[" + i + "]", e.get(i), a.get(i));
            }
        } else if (engine instanceof Number n) {
            assertEquals(n.doubleValue(), Double.parseDouble(String.valueOf(api)), 0, at);
        } else {
            assertEquals(engine == null ? "" : String.valueOf(engine), api, at);
        }
    }

    private static String location(Class<?> type) {
        return String.valueOf(type.getProtectionDomain().getCodeSource().getLocation());
    }

    private static boolean isNumber(Object value) {
        try {
            Double.parseDouble(String.valueOf(value));
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}

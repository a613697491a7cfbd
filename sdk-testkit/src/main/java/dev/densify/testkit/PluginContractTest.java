package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every plugin kind's contract kit checks about the provider itself: that the engine finds it the way it
 * looks for plugins, and that its configuration is the shipped defaults file and nothing else. A kind's kit
 * ({@link RewardShaperContractTest}, {@link NormalizerContractTest}, {@link CriticContractTest},
 * {@link PolicyOptimizerContractTest}, {@link TrajectoryBufferContractTest}) extends it with the kind's own checks; a plugin author extends the kind's
 * kit and names the provider.
 *
 * <p>The configuration record defaults to the provider's class name with {@code Provider} replaced by
 * {@code Config} ({@code PotentialShaperProvider} binds {@code PotentialShaperConfig}), the naming the bundled
 * plugins follow; override {@link #configType()} for another name.
 *
 * @param <P> the kind's provider interface
 * @param <T> what the provider creates
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public abstract class PluginContractTest<P extends PluginProvider<T>, T> {
    /** A key no plugin declares; snake_case, so that it is rejected for being unknown, not for its spelling. */
    static final String UNKNOWN_KEY = "no_such_key";

    private final List<Object> created = new ArrayList<>();

    /** The provider under test. */
    protected abstract P provider();

    /** The provider interface of the kind, as listed under {@code META-INF/services/}. */
    protected abstract Class<P> providerType();

    /** The configuration group of the kind: {@code shaper}, {@code normalizer}, {@code critic}, {@code algo}, {@code buffer}. */
    protected abstract String group();

    /**
     * Fails unless the two plugins, one made from an empty node and one from the shipped defaults file, behave
     * the same on the kind's sample inputs. {@code context} says which two they are.
     */
    protected abstract void assertSameBehaviour(String context, T expected, T actual);

    /**
     * The configuration node the kind's behaviour checks create plugins with; empty, so the defaults. A kit that
     * sets keys here (a required command, say) is checked with them: the unknown key is added to them, and the keys
     * they leave out must behave as the defaults file gives them.
     */
    protected PluginConfig config() {
        return PluginConfig.empty(group());
    }

    /** The record the plugin binds its configuration to; by default {@code <Name>Config} beside {@code <Name>Provider}. */
    protected Class<? extends Record> configType() {
        Class<?> type = provider().getClass();
        String name = type.getName();
        if (!name.endsWith("Provider")) {
            return fail(name + " does not end in Provider: override configType() to name its configuration record");
        }
        String configName = name.substring(0, name.length() - "Provider".length()) + "Config";
        try {
            Class<?> config = Class.forName(configName, false, type.getClassLoader());
            if (!config.isRecord()) {
                return fail(configName + " is not a record: override configType() to name the configuration record");
            }
            return config.asSubclass(Record.class);
        } catch (ClassNotFoundException e) {
            return fail("no configuration record " + configName + ": override configType() to name it");
        }
    }

    /** Seeds every property search of the kit, so that a failure found once is found again. */
    protected long propertySeed() {
        return 20_260_101L;
    }

    /** Random inputs tried per property; QuickTheories' own default, as the per-plugin tests these kits replace. */
    protected int examples() {
        return 1000;
    }

    /** A plugin made by the provider from {@code node}, closed after the test when it is AutoCloseable. */
    protected final T create(PluginConfig node) {
        T plugin = provider().create(node);
        assertNotNull(plugin, () -> provider().name() + ".create(config) returned null");
        created.add(plugin);
        return plugin;
    }

    /** A plugin made from {@link #config()}. */
    protected final T create() {
        return create(config());
    }

    @AfterEach
    void closeCreatedPlugins() throws Exception {
        for (Object plugin : created) {
            if (plugin instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        created.clear();
    }

    /**
     * Asserts that ServiceLoader finds exactly the providers named {@code names} of {@code kind} on the class path:
     * what a plugin module checks once, beside one kit subclass per provider, so that a provider left out of the
     * services file or an unexpected one in it shows.
     */
    public static void assertServiceLoaderFindsExactly(Class<? extends PluginProvider<?>> kind, String... names) {
        List<String> found = new ArrayList<>();
        ServiceLoader.load(kind).forEach(provider -> found.add(provider.name()));
        List<String> sortedFound = found.stream().sorted().toList();
        List<String> expected = java.util.Arrays.stream(names).sorted().toList();
        assertEquals(expected, sortedFound, () -> "the " + kind.getSimpleName() + "s that ServiceLoader finds");
    }

    private String servicesFile() {
        return "META-INF/services/" + providerType().getName();
    }

    /**
     * Fails unless plugins made from the two nodes behave the same: by default {@link #assertSameBehaviour} on a
     * plugin from each. A kind whose provider reads the node elsewhere too (an environment provider's tasks)
     * compares that as well.
     */
    protected void assertSameConfiguration(String context, PluginConfig expected, PluginConfig actual) {
        assertSameBehaviour(context, create(expected), create(actual));
    }

    /** {@link #config()} with {@code values} under it: the keys {@code config()} sets win. */
    private PluginConfig configOver(Map<String, ?> values) {
        Map<String, Object> merged = new LinkedHashMap<>(values);
        merged.putAll(config().asMap());
        return PluginConfig.of(group(), merged);
    }

    @Nested
    @DisplayName("discovery and configuration")
    class DiscoveryAndConfiguration {

        @Test
        @DisplayName("ServiceLoader finds the provider under its name, exactly once")
        void serviceLoaderFindsTheProvider() {
            P provider = provider();
            List<PluginProvider<?>> found = new ArrayList<>();
            for (P candidate : ServiceLoader.load(providerType())) {
                if (candidate.name().equals(provider.name())) {
                    found.add(candidate);
                }
            }
            assertFalse(found.isEmpty(), () -> "ServiceLoader finds no " + providerType().getSimpleName()
                    + " named '" + provider.name() + "': list " + provider.getClass().getName() + " in "
                    + servicesFile());
            assertEquals(1, found.size(), () -> "several providers are named '" + provider.name() + "': " + found);
            assertEquals(provider.getClass(), found.get(0).getClass(),
                    () -> "the provider ServiceLoader finds under '" + provider.name() + "' is another class");
        }

        @Test
        @DisplayName("the name is a lower-case word and the description one line")
        void nameAndDescriptionAreUsable() {
            P provider = provider();
            String name = provider.name();
            assertTrue(name != null && name.matches("[a-z0-9][a-z0-9_-]*"),
                    () -> "name '" + name + "' is not a lower-case word (letters, digits, '-', '_')");
            String description = provider.description();
            assertTrue(description != null && !description.isBlank() && !description.contains("\n"),
                    () -> name + " has no one-line description: '" + description + "'");
        }

        @Test
        @DisplayName("the defaults file lists exactly the configuration record's keys and binds to its defaults()")
        void defaultsFileMatchesTheConfigurationRecord() {
            PluginDefaults.assertMatchDefaults(group(), provider().name(), configType());
        }

        @Test
        @DisplayName("an unknown key is rejected with its full path in the message")
        void unknownKeyIsRejectedWithItsPath() {
            String path = group() + "." + UNKNOWN_KEY;
            try {
                T plugin = create(configOver(Map.of(UNKNOWN_KEY, 1)));
                fail(provider().name() + " accepted the unknown key " + path + " and created " + plugin);
            } catch (ConfigException e) {
                assertEquals(path, e.path(), () -> "the error names another key: " + e.getMessage());
                assertTrue(e.getMessage().contains(path), () -> "the message does not name " + path + ": "
                        + e.getMessage());
            }
        }

        @Test
        @DisplayName("an empty configuration behaves exactly as the shipped defaults file")
        void emptyConfigurationEqualsTheDefaults() {
            String name = provider().name();
            Map<String, Object> file = PluginDefaults.read(group(), name);
            String given = config().keys().isEmpty() ? "an empty node" : "the node " + config().asMap();
            assertSameConfiguration("'" + name + "' from " + given + " and from " + PluginDefaults.resource(group(),
                    name) + (config().keys().isEmpty() ? "" : " under it"), configOver(file), config());
        }
    }
}

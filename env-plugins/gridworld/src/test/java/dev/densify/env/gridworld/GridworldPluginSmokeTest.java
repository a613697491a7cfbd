package dev.densify.env.gridworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Loads the plugin the way the engine does: its provider through ServiceLoader, its defaults from its jar. */
class GridworldPluginSmokeTest {

    private static EnvironmentProvider load() {
        List<EnvironmentProvider> found = ServiceLoader.load(EnvironmentProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("gridworld")).toList();
        assertEquals(1, found.size(), "exactly one provider named gridworld");
        return found.get(0);
    }

    /** The shipped defaults file: a flat YAML of keys and values. */
    private static Map<String, Object> shippedDefaults() {
        try (InputStream in = GridworldPluginSmokeTest.class.getResourceAsStream("/META-INF/densify/env/gridworld.yaml")) {
            assertTrue(in != null, "META-INF/densify/env/gridworld.yaml is missing");
            Map<String, Object> values = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int colon = line.indexOf(':');
                    values.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
                }
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void isFoundByServiceLoaderWithADescription() {
        EnvironmentProvider provider = load();
        assertFalse(provider.description().isBlank());
    }

    @Test
    void shipsEveryConfigurationKeyWithItsDefaultValue() {
        Map<String, Object> shipped = shippedDefaults();
        assertEquals(Arrays.stream(GridworldConfig.class.getRecordComponents()).map(RecordComponent::getName)
                .map(name -> name.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT))
                .toList(), List.copyOf(shipped.keySet()));
        assertEquals(GridworldConfig.defaults(), GridworldConfig.from(PluginConfig.of("env", shipped)));
    }

    @Test
    void playsATaskToSuccessWithTheShippedDefaults() {
        EnvironmentProvider provider = load();
        PluginConfig config = PluginConfig.of("env", shippedDefaults());
        TaskSet tasks = provider.tasks(config);
        Task task = tasks.train().get(0);
        try (Environment env = provider.create(config)) {
            env.reset(task, 0L);
            StepResult last = null;
            for (String action : ((Demonstrable) env).demonstrate().orElseThrow()) {
                last = env.step(action);
            }
            assertTrue(last != null && last.done() && env.score().success(), env::render);
        }
    }
}

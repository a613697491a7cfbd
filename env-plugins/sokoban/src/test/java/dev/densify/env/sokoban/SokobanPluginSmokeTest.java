package dev.densify.env.sokoban;

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
import dev.densify.testkit.PluginDefaults;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** Loads the plugin the way the engine does: its provider through ServiceLoader, its defaults from its jar. */
class SokobanPluginSmokeTest {

    private static EnvironmentProvider load() {
        List<EnvironmentProvider> found = ServiceLoader.load(EnvironmentProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("sokoban")).toList();
        assertEquals(1, found.size(), "exactly one provider named sokoban");
        return found.get(0);
    }

    @Test
    void isFoundByServiceLoaderWithADescription() {
        EnvironmentProvider provider = load();
        assertFalse(provider.description().isBlank());
    }

    @Test
    void shipsEveryConfigurationKeyWithItsDefaultValue() {
        Map<String, String> shipped = PluginDefaults.assertMatchDefaults("env", "sokoban", SokobanConfig.class);
        // from() also runs the cross-key checks that bind alone does not.
        assertEquals(SokobanConfig.defaults(), SokobanConfig.from(PluginConfig.of("env", shipped)));
    }

    @Test
    void playsATaskToSuccessWithTheShippedDefaults() {
        EnvironmentProvider provider = load();
        PluginConfig config = PluginConfig.of("env", PluginDefaults.read("env", "sokoban"));
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

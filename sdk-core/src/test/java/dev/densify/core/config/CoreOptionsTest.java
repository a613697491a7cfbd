package dev.densify.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.TrainerSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The primary file and the option files that sdk-core itself ships. */
class CoreOptionsTest {
    private final ConfigComposer composer = new ConfigComposer(PluginRegistry.discover(getClass().getClassLoader()));

    @Test
    void primaryListsEveryGroupAndItsDefaultOption() {
        assertEquals(List.of("env", "policy", "critic", "shaper", "normalizer", "algo", "buffer", "trainer", "credit"),
                composer.groups());
        // sdk-core's class path holds no plugins, so every plugin default is reported as unknown, naming it
        ConfigValidationException e = assertThrows(ConfigValidationException.class,
                () -> composer.compose(ConfigRequest.of()));
        assertEquals(List.of(
                "env: unknown option 'gridworld'; no env options are on the class path",
                "critic: unknown option 'tabular'; no critic options are on the class path",
                "shaper: unknown option 'potential'; no shaper options are on the class path",
                "normalizer: unknown option 'none'; no normalizer options are on the class path",
                "algo: unknown option 'grpo'; no algo options are on the class path"), e.getMessage().lines().toList());
    }

    @Test
    void coreGroupsComposeFromTheShippedOptions() {
        ComposedConfig config = composer.compose(ConfigRequest.of().onlyGroups("policy", "buffer", "trainer"));
        assertEquals("tiny", config.selected("policy"));
        // The shipped options are exactly what the training loop binds, defaults included.
        assertEquals(config.group("policy").keys().size(), PolicySettings.class.getRecordComponents().length);
        config.group("policy").bind(PolicySettings.class);
        assertEquals("memory", config.selected("buffer"));
        assertEquals(Map.of("capacity", 4096), config.group("buffer").asMap());
        assertEquals("default", config.selected("trainer"));
        assertEquals(config.group("trainer").keys().size(), TrainerSettings.class.getRecordComponents().length);
        config.group("trainer").bind(TrainerSettings.class);

        ComposedConfig redis = composer.compose(ConfigRequest.of("buffer=redis").onlyGroups("buffer"));
        assertEquals("densify", redis.group("buffer").getString("namespace", ""));
        assertEquals(2, redis.group("buffer").getInt("max_policy_lag", -1));
        assertEquals("redis", redis.group("buffer").getString("policy_store", ""));
        assertEquals(List.of("memory", "redis"), List.copyOf(composer.options("buffer")));
    }
}

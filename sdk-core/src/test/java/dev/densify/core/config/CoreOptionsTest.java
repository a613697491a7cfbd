package dev.densify.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.densify.core.plugin.PluginRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The primary file and the option files that sdk-core itself ships. */
class CoreOptionsTest {
    private final ConfigComposer composer = new ConfigComposer(PluginRegistry.discover(getClass().getClassLoader()));

    @Test
    void primaryListsEveryGroupAndItsDefaultOption() {
        assertEquals(List.of("env", "policy", "critic", "shaper", "normalizer", "algo", "buffer", "trainer"),
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
        assertEquals(Map.of("preset", "tiny", "checkpoint", "", "temperature", 1.0, "top_k", 0, "top_p", 1.0,
                "max_action_tokens", 8), config.group("policy").asMap());
        assertEquals("memory", config.selected("buffer"));
        assertEquals(Map.of("capacity", 4096), config.group("buffer").asMap());
        assertEquals("default", config.selected("trainer"));
        assertEquals(Map.of("seed", 0, "iterations", 20, "episodes_per_iteration", 32, "group_size", 8,
                "eval_every", 5, "checkpoint_every", 5, "max_steps", 0, "parallelism", 2, "step_timeout_ms", 10000,
                "max_failure_fraction", 0.2), config.group("trainer").asMap());

        ComposedConfig redis = composer.compose(ConfigRequest.of("buffer=redis").onlyGroups("buffer"));
        assertEquals("densify", redis.group("buffer").getString("namespace", ""));
        assertEquals(2, redis.group("buffer").getInt("max_policy_lag", -1));
        assertEquals("redis", redis.group("buffer").getString("policy_store", ""));
        assertEquals(List.of("memory", "redis"), List.copyOf(composer.options("buffer")));
    }
}

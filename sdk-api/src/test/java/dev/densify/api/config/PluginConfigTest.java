package dev.densify.api.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginConfigTest {
    enum Mode { FAST, CAREFUL }

    record Inner(int depth) {}

    record Settings(int size, double rate, boolean on, Mode mode, List<Integer> sizes, Inner inner) {
        static Settings defaults() {
            return new Settings(5, 0.5, false, Mode.FAST, List.of(1), new Inner(2));
        }
    }

    @Test
    void typedGettersConvertTextAndNameThePathOnError() {
        PluginConfig c = PluginConfig.of("env", Map.of("size", "9", "rate", 0.25, "name", "x"));
        assertEquals(9, c.getInt("size", 0));
        assertEquals(0.25, c.getDouble("rate", 0));
        assertEquals(7, c.getInt("missing", 7));
        ConfigException e = assertThrows(ConfigException.class, () -> c.getInt("name", 0));
        assertEquals("env.name", e.path());
        assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
    }

    @Test
    void bindFillsDefaultsAndConvertsNestedValues() {
        Settings s = PluginConfig.of("algo", Map.of("size", "3", "mode", "careful", "sizes", "[4, 5]",
                "inner", Map.of("depth", 8))).bind(Settings.class);
        assertEquals(new Settings(3, 0.5, false, Mode.CAREFUL, List.of(4, 5), new Inner(8)), s);
    }

    @Test
    void bindRejectsUnknownKeysWithTheirFullPath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginConfig.of("algo", Map.of("inner", Map.of("dpth", 1))).bind(Settings.class));
        assertEquals("algo.inner.dpth", e.path());
        assertTrue(e.getMessage().contains("[depth]"), e.getMessage());
    }

    @Test
    void bindRejectsBadEnumValuesListingTheAllowedOnes() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginConfig.of("algo", Map.of("mode", "slow")).bind(Settings.class));
        assertTrue(e.getMessage().contains("[fast, careful]"), e.getMessage());
    }

    record Budget(int maxSteps) {}

    @Test
    void camelCaseComponentsReadSnakeCaseKeys() {
        assertEquals(new Budget(4), PluginConfig.of("t", Map.of("max_steps", 4)).bind(Budget.class));
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginConfig.of("t", Map.of("max_stepz", 4)).bind(Budget.class));
        assertTrue(e.getMessage().contains("[max_steps]"), e.getMessage());
    }

    @Test
    void bindRequiresKeysWhenTheRecordHasNoDefaults() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginConfig.of("x", Map.of()).bind(Inner.class));
        assertEquals("x.depth", e.path());
    }
}

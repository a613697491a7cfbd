package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PluginDefaultsTest {

    enum Mode { SLOW_START, FAST }

    public record SampleConfig(int maxSteps, Mode mode) {
        public static SampleConfig defaults() {
            return new SampleConfig(12, Mode.SLOW_START);
        }
    }

    public record NoneConfig() {
        public static NoneConfig defaults() {
            return new NoneConfig();
        }
    }

    public record WithoutDefaults(int maxSteps, Mode mode) {}

    @Test
    void readsKeysInFileOrderWithoutComments() {
        assertEquals(Map.of("max_steps", "12", "mode", "slow-start"), PluginDefaults.read("kit", "sample"));
        assertEquals(Map.of(), PluginDefaults.read("kit", "none"));
    }

    @Test
    void readsQuotedValuesWithoutTheirQuotes() {
        assertEquals(Map.of("url", "redis://127.0.0.1:6379", "folder", "", "name", "single"),
                PluginDefaults.read("kit", "quoted"));
    }

    @Test
    void aFileThatListsTheRecordsKeysAndDefaultsPasses() {
        assertEquals("12", PluginDefaults.assertMatchDefaults("kit", "sample", SampleConfig.class).get("max_steps"));
        assertTrue(PluginDefaults.assertMatchDefaults("kit", "none", NoneConfig.class).isEmpty());
    }

    @Test
    void aDriftedValueFailsNamingTheFile() {
        AssertionError e = assertThrows(AssertionError.class,
                () -> PluginDefaults.assertMatchDefaults("kit", "drifted", SampleConfig.class));
        assertTrue(e.getMessage().contains("META-INF/densify/kit/drifted.yaml"), e.getMessage());
    }

    @Test
    void keysInAnotherOrderOrMissingKeysFail() {
        AssertionError reordered = assertThrows(AssertionError.class,
                () -> PluginDefaults.assertMatchDefaults("kit", "reordered", SampleConfig.class));
        assertTrue(reordered.getMessage().contains("keys of"), reordered.getMessage());
        assertThrows(AssertionError.class, () -> PluginDefaults.assertMatchDefaults("kit", "none", SampleConfig.class));
    }

    @Test
    void aMissingFileOrAMissingDefaultsMethodIsReported() {
        AssertionError missing = assertThrows(AssertionError.class, () -> PluginDefaults.read("kit", "absent"));
        assertTrue(missing.getMessage().contains("META-INF/densify/kit/absent.yaml"), missing.getMessage());
        AssertionError noDefaults = assertThrows(AssertionError.class,
                () -> PluginDefaults.assertMatchDefaults("kit", "sample", WithoutDefaults.class));
        assertTrue(noDefaults.getMessage().contains("defaults()"), noDefaults.getMessage());
    }
}

package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
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

    /** The idiom: the defaults are written once, in the file. */
    public record DelegatingConfig(int maxSteps, Mode mode) {
        public static DelegatingConfig defaults() {
            return PluginConfig.defaultsOf(DelegatingConfig.class, "kit", "sample");
        }
    }

    /** Delegates to another plugin's file. */
    public record MisdirectedConfig(int maxSteps, Mode mode) {
        public static MisdirectedConfig defaults() {
            return PluginConfig.defaultsOf(MisdirectedConfig.class, "kit", "drifted");
        }
    }

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
    void aRecordWhoseDefaultsReadTheFilePassesUnlessItReadsAnotherFile() {
        assertEquals(new DelegatingConfig(12, Mode.SLOW_START), DelegatingConfig.defaults());
        PluginDefaults.assertMatchDefaults("kit", "sample", DelegatingConfig.class);
        AssertionError misdirected = assertThrows(AssertionError.class,
                () -> PluginDefaults.assertMatchDefaults("kit", "sample", MisdirectedConfig.class));
        assertTrue(misdirected.getMessage().contains("PluginConfig.defaultsOf(MisdirectedConfig.class, \"kit\", "
                + "\"sample\")"), misdirected.getMessage());
    }

    @Test
    void aKeyTheRecordLacksOrAComponentTheFileLacksIsNamed() {
        AssertionError extra = assertThrows(AssertionError.class,
                () -> PluginDefaults.assertMatchDefaults("kit", "extra", SampleConfig.class));
        assertTrue(extra.getMessage().contains("the record has no component for [max_retries]"), extra.getMessage());
        AssertionError lacking = assertThrows(AssertionError.class,
                () -> PluginDefaults.assertMatchDefaults("kit", "none", SampleConfig.class));
        assertTrue(lacking.getMessage().contains("the file lacks [max_steps, mode]"), lacking.getMessage());
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

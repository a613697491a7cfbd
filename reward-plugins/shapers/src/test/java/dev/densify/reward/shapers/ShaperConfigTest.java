package dev.densify.reward.shapers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShaperConfigTest {

    private static void assertRejected(RewardShaperProvider provider, String key, Object value, String range) {
        ConfigException error = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("shaper", Map.of(key, value))));
        assertTrue(error.getMessage().startsWith("shaper"), error.getMessage());
        assertTrue(error.getMessage().contains(key), error.getMessage());
        assertTrue(error.getMessage().contains(range), error.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"lambda, -0.5, >= 0", "gamma, 1.5, '[0.0, 1.0]'", "gamma, -0.1, '[0.0, 1.0]'", "clip, -1, >= 0"})
    void potentialRejectsOutOfRangeValues(String key, double value, String range) {
        assertRejected(new PotentialShaperProvider(), key, value, range);
    }

    @Test
    void clipDeltaRejectsAnUnknownModeListingTheAllowedOnes() {
        ConfigException error = assertThrows(ConfigException.class,
                () -> new ClipDeltaShaperProvider().create(PluginConfig.of("shaper", Map.of("mode", "clamp"))));
        assertEquals("shaper.mode", error.path());
        assertTrue(error.getMessage().contains("[clip, delta, clip_delta]"), error.getMessage());
    }

    @Test
    void clipDeltaAcceptsEachModeByItsConfiguredName() {
        Map<String, ClipDeltaShaperConfig.Mode> names = Map.of("clip", ClipDeltaShaperConfig.Mode.CLIP,
                "delta", ClipDeltaShaperConfig.Mode.DELTA, "clip-delta", ClipDeltaShaperConfig.Mode.CLIP_DELTA);
        names.forEach((name, mode) -> assertEquals(mode,
                PluginConfig.of("shaper", Map.of("mode", name)).bind(ClipDeltaShaperConfig.class).mode()));
    }

    @Test
    void valuesGivenAsTextFromTheCommandLineAreConverted() {
        PotentialShaperConfig config = PluginConfig.of("shaper", Map.of("lambda", "0.5", "gamma", "0.95"))
                .bind(PotentialShaperConfig.class);
        assertEquals(new PotentialShaperConfig(0.5, 0.95, 0), config);
    }
}

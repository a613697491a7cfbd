package dev.densify.reward.normalizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.NormalizerProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NormalizerConfigTest {

    private static void assertRejected(NormalizerProvider provider, Map<String, Object> values, String... words) {
        ConfigException error = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("normalizer", values)));
        assertTrue(error.getMessage().startsWith("normalizer"), error.getMessage());
        for (String word : words) {
            assertTrue(error.getMessage().contains(word), error.getMessage());
        }
    }

    @Test
    void runningRejectsOutOfRangeValues() {
        assertRejected(new RunningNormalizerProvider(), Map.of("epsilon", 0), "epsilon", "> 0");
        assertRejected(new RunningNormalizerProvider(), Map.of("clip", -1), "clip", ">= 0");
        assertRejected(new RunningNormalizerProvider(), Map.of("center", "maybe"), "center", "true or false");
    }

    @Test
    void groupRejectsOutOfRangeValues() {
        assertRejected(new GroupNormalizerProvider(), Map.of("epsilon", -1), "epsilon", ">= 0");
        assertRejected(new GroupNormalizerProvider(), Map.of("over", "episodes"), "over", "[returns, steps]");
    }

    @Test
    void clipRejectsAnEmptyRange() {
        assertRejected(new ClipNormalizerProvider(), Map.of("min", 1, "max", 1), "min must be below max");
        assertRejected(new ClipNormalizerProvider(), Map.of("min", 2), "min must be below max");
    }

    @Test
    void valuesGivenAsTextFromTheCommandLineAreConverted() {
        assertEquals(new GroupNormalizerConfig(GroupNormalizerConfig.Over.STEPS, 0.001),
                PluginConfig.of("normalizer", Map.of("over", "steps", "epsilon", "1e-3")).bind(GroupNormalizerConfig.class));
    }
}

package dev.densify.reward.critic.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void badValuesNameTheKeyAndTheAllowedRange() {
        ConfigException heads = assertThrows(ConfigException.class, () -> PluginConfig.of("critic",
                Map.of("hidden", 30, "heads", 4)).bind(TransformerCriticConfig.class));
        assertTrue(heads.getMessage().contains("hidden (30) must be divisible by heads (4)"), heads.getMessage());
        ConfigException dropout = assertThrows(ConfigException.class,
                () -> PluginConfig.of("critic", Map.of("dropout", 1)).bind(MlpCriticConfig.class));
        assertTrue(dropout.getMessage().contains("critic.dropout: must be in [0.0, 1.0), got 1.0"), dropout.getMessage());
        ConfigException lr = assertThrows(ConfigException.class,
                () -> PluginConfig.of("critic", Map.of("lr", 0)).bind(MlpCriticConfig.class));
        assertTrue(lr.getMessage().contains("critic.lr: must be in (0.0, 1.0]"), lr.getMessage());
    }

    @Test
    void unknownKeysAreRejectedWithTheirPath() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> PluginConfig.of("critic", Map.of("heads", 2)).bind(MlpCriticConfig.class));
        assertEquals("critic.heads", e.path());
    }

    @Test
    void overridesFromTheCommandLineAreConverted() {
        MlpCriticConfig c = PluginConfig.of("critic", Map.of("hidden", "32", "mean_pool", "false", "seed", "9"))
                .bind(MlpCriticConfig.class);
        assertEquals(new MlpCriticConfig(32, false, 0.1, 50, 1e-3, 1e-2, 64, 5, false, 4.0, 9), c);
    }
}

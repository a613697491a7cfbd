package dev.densify.reward.critic.neural;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.testkit.PluginDefaults;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Loads the providers the way the engine does, and checks each shipped defaults file against its record. */
class ProvidersTest {

    private static final Map<String, Class<? extends Record>> CONFIGS = Map.of(
            "mlp", MlpCriticConfig.class, "transformer", TransformerCriticConfig.class);

    private static List<CriticProvider> providers() {
        return ServiceLoader.load(CriticProvider.class).stream().map(ServiceLoader.Provider::get)
                .collect(Collectors.toList());
    }

    @Test
    void serviceLoaderFindsTheMlpAndTransformerCritics() {
        assertEquals(Set.of("mlp", "transformer"),
                providers().stream().map(CriticProvider::name).collect(Collectors.toSet()));
        for (CriticProvider provider : providers()) {
            assertFalse(provider.description().isBlank());
            try (Critic critic = provider.create(PluginConfig.empty("critic"))) {
                assertTrue(critic.needsFeatures());
            }
        }
    }

    @Test
    void eachDefaultsFileListsExactlyTheRecordsKeysWithTheSameValues() {
        for (CriticProvider provider : providers()) {
            PluginDefaults.assertMatchDefaults("critic", provider.name(), CONFIGS.get(provider.name()));
        }
    }
}

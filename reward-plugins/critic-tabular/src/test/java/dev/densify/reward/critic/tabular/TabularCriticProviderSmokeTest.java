package dev.densify.reward.critic.tabular;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.testkit.PluginDefaults;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Loads the critic the way the engine does: ServiceLoader by name, configured from the jar's defaults file. */
class TabularCriticProviderSmokeTest {

    private static CriticProvider provider() {
        List<CriticProvider> providers = ServiceLoader.load(CriticProvider.class).stream()
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(List.of("tabular"), providers.stream().map(CriticProvider::name).toList());
        return providers.get(0);
    }

    @org.junit.jupiter.api.Test
    void loadsByNameAndFitsWithItsDefaults() throws Exception {
        CriticProvider provider = provider();
        assertFalse(provider.description().isBlank());
        Map<String, String> yaml = PluginDefaults.assertMatchDefaults("critic", "tabular", TabularCriticConfig.class);

        try (Critic fromFile = provider.create(PluginConfig.of("critic", yaml));
             Critic fromEmpty = provider.create(PluginConfig.empty("critic"))) {
            List<CriticSample> train = List.of(new CriticSample(CriticState.ofKey("a"), 1),
                    new CriticSample(CriticState.ofKey("a"), 0), new CriticSample(CriticState.ofKey("b"), 0.5));
            fromFile.fit(train, List.of());
            fromEmpty.fit(train, List.of());
            List<CriticState> states = List.of(CriticState.ofKey("a"), CriticState.ofKey("b"), CriticState.ofKey("c"));
            assertArrayEquals(new double[] {0.5, 0.5, 0.5}, fromFile.predict(states), 1e-12);
            assertArrayEquals(fromFile.predict(states), fromEmpty.predict(states), 0);
        }
    }

    @org.junit.jupiter.api.Test
    void badConfigurationNamesTheKeyAndWhatIsAllowed() {
        CriticProvider provider = provider();
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("critic", Map.of("mod", "refit"))));
        assertEquals("critic.mod", unknown.path());
        ConfigException mode = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("critic", Map.of("mode", "average"))));
        assertTrue(mode.getMessage().contains("[refit, accumulate]"), mode.getMessage());
        ConfigException unseen = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("critic", Map.of("unseen", "zero"))));
        assertTrue(unseen.getMessage().contains("[mean, constant]"), unseen.getMessage());
    }
}

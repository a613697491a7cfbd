package dev.densify.algo.grpo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
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
            "grpo", GrpoConfig.class, "rloo", RlooConfig.class, "gigpo", GigpoConfig.class);

    private static List<PolicyOptimizerProvider> providers() {
        return ServiceLoader.load(PolicyOptimizerProvider.class).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList());
    }

    @Test
    void serviceLoaderFindsGrpoRlooAndGigpo() {
        assertEquals(Set.of("grpo", "rloo", "gigpo"),
                providers().stream().map(PolicyOptimizerProvider::name).collect(Collectors.toSet()));
        for (PolicyOptimizerProvider provider : providers()) {
            assertFalse(provider.description().isBlank());
            assertFalse(provider.create(PluginConfig.empty("algo")).usesCritic());
        }
        PolicyOptimizerProvider grpo = providers().stream().filter(p -> p.name().equals("grpo")).findFirst()
                .orElseThrow();
        assertInstanceOf(GrpoOptimizer.class, grpo.create(PluginConfig.of("algo", Map.of("beta", 0))));
    }

    @Test
    void eachDefaultsFileListsExactlyTheRecordsKeysWithTheSameValues() {
        for (PolicyOptimizerProvider provider : providers()) {
            PluginDefaults.assertMatchDefaults("algo", provider.name(), CONFIGS.get(provider.name()));
        }
    }
}

package dev.densify.algo.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.testkit.PluginDefaults;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Loads the provider the way the engine does, and checks the shipped defaults file against the record. */
class ProvidersTest {

    @Test
    void serviceLoaderFindsPpo() {
        List<PolicyOptimizerProvider> providers = ServiceLoader.load(PolicyOptimizerProvider.class).stream()
                .map(ServiceLoader.Provider::get).collect(Collectors.toList());
        assertEquals(List.of("ppo"), providers.stream().map(PolicyOptimizerProvider::name).toList());
        assertFalse(providers.get(0).description().isBlank());
        PolicyOptimizer ppo = providers.get(0).create(PluginConfig.empty("algo"));
        assertTrue(ppo.usesCritic());
        assertFalse(ppo.usesReference());
    }

    @Test
    void theDefaultsFileListsExactlyTheRecordsKeysWithTheSameValues() {
        PluginDefaults.assertMatchDefaults("algo", "ppo", PpoConfig.class);
    }
}

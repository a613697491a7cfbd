package dev.densify.algo.ppo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
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
    void theDefaultsFileListsExactlyTheRecordsKeysWithTheSameValues() throws IOException {
        Map<String, Object> file = FlatYaml.read("META-INF/densify/algo/ppo.yaml");
        Set<String> components = Arrays.stream(PpoConfig.class.getRecordComponents()).map(RecordComponent::getName)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        assertEquals(components, file.keySet());
        assertEquals(PpoConfig.defaults(), PluginConfig.of("algo", file).bind(PpoConfig.class));
    }
}

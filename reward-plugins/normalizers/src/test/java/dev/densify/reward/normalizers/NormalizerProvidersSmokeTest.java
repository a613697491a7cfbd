package dev.densify.reward.normalizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import dev.densify.testkit.PluginDefaults;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Loads the normalisers the way the engine does: ServiceLoader by name, configured from the jar's defaults file. */
class NormalizerProvidersSmokeTest {
    private static final Map<String, Class<? extends Record>> CONFIGS = Map.of(
            "none", NoneNormalizerConfig.class,
            "running", RunningNormalizerConfig.class,
            "group", GroupNormalizerConfig.class,
            "clip", ClipNormalizerConfig.class,
            "par", ParNormalizerConfig.class);

    private static Map<String, NormalizerProvider> providers() {
        Map<String, NormalizerProvider> byName = new LinkedHashMap<>();
        for (NormalizerProvider provider : ServiceLoader.load(NormalizerProvider.class)) {
            assertTrue(byName.put(provider.name(), provider) == null, "duplicate provider " + provider.name());
        }
        return byName;
    }

    @Test
    void serviceLoaderFindsEveryNormalizerByName() {
        Map<String, NormalizerProvider> providers = providers();
        assertEquals(CONFIGS.keySet(), providers.keySet());
        providers.values().forEach(p -> assertFalse(p.description().isBlank(), p.name() + " has no description"));
    }

    @TestFactory
    Stream<DynamicTest> defaultsFileListsExactlyTheRecordKeysWithTheRecordDefaults() {
        return providers().values().stream().map(provider -> DynamicTest.dynamicTest(provider.name(), () -> {
            Class<? extends Record> type = CONFIGS.get(provider.name());
            Map<String, String> yaml = PluginDefaults.assertMatchDefaults("normalizer", provider.name(), type);

            Normalizer fromDefaults = provider.create(PluginConfig.of("normalizer", yaml));
            Normalizer fromEmpty = provider.create(PluginConfig.empty("normalizer"));
            List<GroupedRewards> batch = List.of(new GroupedRewards("t", new double[] {0.5, -0.25, 1}),
                    new GroupedRewards("t", new double[] {0, 0.75}));
            List<double[]> a = fromDefaults.normalize(batch);
            List<double[]> b = fromEmpty.normalize(batch);
            assertEquals(2, a.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(a.get(i), b.get(i), 0);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> unknownKeysAreRejectedWithTheirPath() {
        return providers().values().stream().map(provider -> DynamicTest.dynamicTest(provider.name(), () -> {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> provider.create(PluginConfig.of("normalizer", Map.of("epsilonn", 1.0))));
            assertEquals("normalizer.epsilonn", error.path());
        }));
    }
}

package dev.densify.reward.shapers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Outcome;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.api.reward.ShapingInput;
import dev.densify.testkit.PluginDefaults;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Loads the shapers the way the engine does: ServiceLoader by name, configured from the jar's defaults file. */
class ShaperProvidersSmokeTest {
    private static final Map<String, Class<? extends Record>> CONFIGS = Map.of(
            "none", NoneShaperConfig.class,
            "potential", PotentialShaperConfig.class,
            "gated", GatedShaperConfig.class,
            "clip-delta", ClipDeltaShaperConfig.class);

    private static Map<String, RewardShaperProvider> providers() {
        Map<String, RewardShaperProvider> byName = new LinkedHashMap<>();
        for (RewardShaperProvider provider : ServiceLoader.load(RewardShaperProvider.class)) {
            assertTrue(byName.put(provider.name(), provider) == null, "duplicate provider " + provider.name());
        }
        return byName;
    }

    @Test
    void serviceLoaderFindsEveryShaperByName() {
        Map<String, RewardShaperProvider> providers = providers();
        assertEquals(CONFIGS.keySet(), providers.keySet());
        providers.values().forEach(p -> assertFalse(p.description().isBlank(), p.name() + " has no description"));
    }

    @TestFactory
    Stream<DynamicTest> defaultsFileListsExactlyTheRecordKeysWithTheRecordDefaults() {
        return providers().values().stream().map(provider -> DynamicTest.dynamicTest(provider.name(), () -> {
            Class<? extends Record> type = CONFIGS.get(provider.name());
            Map<String, String> yaml = PluginDefaults.assertMatchDefaults("shaper", provider.name(), type);

            RewardShaper fromDefaults = provider.create(PluginConfig.of("shaper", yaml));
            RewardShaper fromEmpty = provider.create(PluginConfig.empty("shaper"));
            ShapingInput episode = new ShapingInput(new double[] {0.5, -0.25, 1}, new Outcome(1, true),
                    new double[] {0.1, 0.4, 0.8, 0.3}, true);
            assertEquals(3, fromDefaults.shape(episode).length);
            assertTrue(Arrays.equals(fromDefaults.shape(episode), fromEmpty.shape(episode)));
        }));
    }

    @TestFactory
    Stream<DynamicTest> unknownKeysAreRejectedWithTheirPath() {
        return providers().values().stream().map(provider -> DynamicTest.dynamicTest(provider.name(), () -> {
            ConfigException error = assertThrows(ConfigException.class,
                    () -> provider.create(PluginConfig.of("shaper", Map.of("lamda", 1.0))));
            assertEquals("shaper.lamda", error.path());
        }));
    }
}

package dev.densify.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.MemorySettings;
import dev.densify.core.train.PolicySettings;
import java.net.URL;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A record's {@code defaults()} reads its defaults file with sdk-api's small YAML reader
 * ({@link PluginConfig#defaultsFile}); the engine composes the same file with Jackson. The two must agree on every
 * file sdk-core ships, or a partial node would bind to other values than a full one.
 */
class DefaultsFileReadingTest {
    private static final List<String> OPTIONS = List.of("policy/tiny", "trainer/default", "buffer/memory",
            "buffer/redis", "credit/outcome", "credit/progress");

    @Test
    void sdkApisReaderAndTheEngineReadEveryShippedOptionFileAlike() {
        ClassLoader loader = getClass().getClassLoader();
        for (String option : OPTIONS) {
            String[] parts = option.split("/");
            URL url = loader.getResource(OptionFiles.resource(parts[0], parts[1]));
            Map<String, Object> engine = YamlIo.readMap(OptionFiles.read(url), url.toString());
            Map<String, Object> api = PluginConfig.defaultsFile(loader, parts[0], parts[1]).asMap();
            assertEquals(engine.keySet(), api.keySet(), option);
            assertAlike(option, engine, api);
        }
    }

    @Test
    void thePolicyDefaultsAreWhatTheEngineComposes() {
        ComposedConfig config = new ConfigComposer(PluginRegistry.discover(getClass().getClassLoader()))
                .compose(ConfigRequest.of().onlyGroups("policy"));
        assertEquals(config.group("policy").bind(PolicySettings.class), PolicySettings.defaults());
        assertEquals(PolicySettings.defaults(), PluginConfig.empty("policy").bind(PolicySettings.class));
        assertEquals(config.group("policy").child("memory").bind(MemorySettings.class), MemorySettings.defaults());
    }

    /** Text that the engine read as a number, boolean or null is alike when it denotes the same value. */
    private static void assertAlike(String at, Object engine, Object api) {
        if (engine instanceof Map<?, ?> e && api instanceof Map<?, ?> a) {
            assertEquals(e.keySet(), a.keySet(), at);
            e.forEach((k, v) -> assertAlike(at + "." + k, v, a.get(k)));
        } else if (engine instanceof List<?> e && api instanceof List<?> a) {
            assertEquals(e.size(), a.size(), at);
            for (int i = 0; i < e.size(); i++) {
                assertAlike(at + "[" + i + "]", e.get(i), a.get(i));
            }
        } else if (engine instanceof Number n) {
            assertEquals(n.doubleValue(), Double.parseDouble(String.valueOf(api)), 0, at);
        } else if (engine == null) {
            assertEquals("", api, at + ": a key without a value reads as the empty text");
        } else {
            assertTrue(api instanceof String, at + " is text");
            assertEquals(String.valueOf(engine), api, at);
        }
    }
}

package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.LoraTarget;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The policy.lora block: off by default, bound from the policy group, bad values named by their key. */
class LoraSettingsTest {
    /** The shipped policy defaults with {@code overrides} (dotted keys under policy) applied. */
    static PolicySettings policy(Map<String, Object> overrides) throws IOException {
        Map<String, Object> tree = defaults("META-INF/densify/policy/tiny.yaml");
        overrides.forEach((key, value) -> put(tree, key.split("\\."), 0, value));
        return PluginConfig.of("policy", tree).bind(PolicySettings.class);
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> tree, String[] path, int at, Object value) {
        if (at == path.length - 1) {
            tree.put(path[at], value);
        } else {
            put((Map<String, Object>) tree.computeIfAbsent(path[at], k -> new LinkedHashMap<>()), path, at + 1, value);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> defaults(String resource) throws IOException {
        try (InputStream in = LoraSettingsTest.class.getClassLoader().getResourceAsStream(resource)) {
            return new ObjectMapper(new YAMLFactory()).readValue(in, LinkedHashMap.class);
        }
    }

    @Test
    void theDefaultIsOffAndLeavesTheRunAsItWas() throws IOException {
        PolicySettings settings = policy(Map.of());
        assertEquals(LoraSettings.OFF, settings.lora());
        assertFalse(settings.lora().enabled());
        assertTrue(settings.lora().config(7).isEmpty());
        assertEquals(new PolicySettings("tiny", "", 1.0, 0, 1.0, 8), settings, "the shipped defaults are the 6-arg ones");
    }

    @Test
    void aPositiveRankGivesAdaptersOfTheTargetsSeededFromTheRun() throws IOException {
        PolicySettings settings = policy(Map.of("checkpoint", "model.bin", "lora.rank", 4, "lora.alpha", 8,
                "lora.targets", List.of("q", "O", "down")));
        LoraConfig config = settings.lora().config(3).orElseThrow();
        assertEquals(4, config.rank());
        assertEquals(2.0, config.scale());
        assertEquals(Set.of(LoraTarget.Q, LoraTarget.O, LoraTarget.DOWN), config.targets());
        assertEquals(config, settings.lora().config(3).orElseThrow(), "the same seed, the same initialisation");
        assertTrue(config.seed() != settings.lora().config(4).orElseThrow().seed());
        assertEquals(0, config.dropout(), "no dropout unless asked for");
    }

    @Test
    void aDropoutBelowOneReachesTheAdapters() throws IOException {
        PolicySettings settings = policy(Map.of("checkpoint", "model.bin", "lora.rank", 4, "lora.dropout", 0.05));
        assertEquals(0.05, settings.lora().config(3).orElseThrow().dropout());
    }

    @Test
    void badValuesNameTheirKeyAndWhatIsAllowed() {
        assertMessage("policy.lora.rank", "0 (off) or a positive rank", Map.of("checkpoint", "m.bin", "lora.rank", -1));
        assertMessage("policy.lora.alpha", "positive", Map.of("checkpoint", "m.bin", "lora.rank", 2, "lora.alpha", 0));
        assertMessage("policy.lora.dropout", "[0, 1)", Map.of("checkpoint", "m.bin", "lora.rank", 2,
                "lora.dropout", 1.0));
        assertMessage("policy.lora.dropout", "[0, 1)", Map.of("checkpoint", "m.bin", "lora.rank", 2,
                "lora.dropout", -0.1));
        assertMessage("policy.lora.dropout", "policy.lora.rank is 0", Map.of("lora.dropout", 0.1));
        assertMessage("policy.lora.rank", "policy.checkpoint is empty", Map.of("lora.rank", 2));
        assertMessage("policy.lora.targets", "q, k, v, o, gate, up, down", Map.of("checkpoint", "m.bin",
                "lora.rank", 2, "lora.targets", List.of()));
        assertMessage("policy.lora.targets[0]", "expected one of", Map.of("checkpoint", "m.bin", "lora.rank", 2,
                "lora.targets", List.of("qq")));
        assertMessage("policy.lora.ranks", "unknown key", Map.of("lora.ranks", 2));
        assertMessage("policy.memory.sequence_tokens", "0 (the model's context)",
                Map.of("memory.sequence_tokens", -5));
    }

    private static void assertMessage(String key, String allowed, Map<String, Object> overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> policy(overrides), overrides::toString);
        assertTrue(e.getMessage().contains(key) && e.getMessage().contains(allowed), e.getMessage());
    }
}

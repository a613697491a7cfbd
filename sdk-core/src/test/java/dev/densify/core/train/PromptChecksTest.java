package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat format is refused before any work when no chat template can be read, naming the key to fix. */
class PromptChecksTest {
    @TempDir
    Path folder;

    private static PluginConfig policy(Map<String, Object> prompt) {
        Map<String, Object> values = new HashMap<>(Map.of("preset", "micro", "checkpoint", "", "temperature", 1.0,
                "top_k", 0, "top_p", 1.0, "max_action_tokens", 8));
        values.put("prompt", prompt);
        return PluginConfig.of("policy", values);
    }

    private static ConfigException refused(Map<String, Object> prompt) {
        return assertThrows(ConfigException.class, () -> RunChecks.checks().get("policy").check("tiny", policy(prompt)));
    }

    @Test
    void chatWithoutATemplateNamesWhereOneCanBeGiven() throws IOException {
        ConfigException e = refused(Map.of("format", "chat"));
        assertTrue(e.getMessage().contains("policy.prompt.template"), e.getMessage());
        e = refused(Map.of("format", "chat", "template", folder.toString()));
        assertTrue(e.getMessage().contains("holds no chat template"), e.getMessage());
        e = refused(Map.of("format", "chat", "template", folder.resolve("missing.jinja").toString()));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        Path jinja = Files.writeString(folder.resolve("chat.jinja"), "{{ messages[0]['content'] }}");
        RunChecks.checks().get("policy").check("tiny", policy(Map.of("format", "chat", "template", jinja.toString(),
                "history", 2)));
        assertEquals(2, policy(Map.of("history", 2)).bind(PolicySettings.class).prompt().history());
    }
}

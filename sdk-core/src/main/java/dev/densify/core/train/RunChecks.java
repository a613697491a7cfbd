package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigComposer.GroupCheck;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.io.ChatTemplate;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.plugin.PluginRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The checks of the engine's own groups ({@code trainer}, {@code credit}, {@code policy}), the same ones a run
 * makes when it binds them; the {@code buffer} group, a plugin kind, is checked by its provider like any other. A
 * composer made by {@link #composer} runs them in every compose, so {@code densify config}, {@code train},
 * {@code eval}, {@code worker}, {@code ablate} and {@code bench loop} reject the same values, before any folder is
 * made.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RunChecks {
    private RunChecks() {}

    /** A composer over the registry's class path that checks the engine's groups too. */
    public static ConfigComposer composer(PluginRegistry registry) {
        return new ConfigComposer(registry, checks());
    }

    /** The checks by group. */
    public static Map<String, GroupCheck> checks() {
        return Map.of(
                "trainer", (option, node) -> node.bind(TrainerSettings.class),
                "credit", (option, node) -> {
                    if (option.equals("progress")) {
                        node.bind(ProgressCredit.class);
                    }
                },
                "policy", (option, node) -> {
                    PolicySettings settings = node.bind(PolicySettings.class);
                    policy(settings);
                    prompt(settings);
                });
    }

    /** The chat format needs a chat template, read here so that a missing one fails before any work. */
    private static void prompt(PolicySettings settings) {
        if (!settings.prompt().chat()) {
            return;
        }
        String key = settings.prompt().template().isBlank() ? "policy.checkpoint" : "policy.prompt.template";
        String file = settings.prompt().template().isBlank() ? settings.checkpoint() : settings.prompt().template();
        if (file.isBlank()) {
            throw new ConfigException("policy.prompt.format", "chat needs a chat template: give policy.checkpoint a"
                    + " checkpoint that has one, or policy.prompt.template a tokenizer_config.json, .jinja or GGUF"
                    + " file");
        }
        if (!Files.exists(Path.of(file))) {
            throw new ConfigException(key, "'" + file + "' does not exist; expected a file or folder with a chat"
                    + " template");
        }
        try {
            if (ChatTemplate.read(Path.of(file)).isEmpty()) {
                throw new ConfigException(key, file + " holds no chat template (tokenizer_config.json chat_template,"
                        + " GGUF tokenizer.chat_template or a .jinja file)");
            }
        } catch (java.io.IOException e) {
            throw new ConfigException(key, "cannot read a chat template from " + file + ": " + e.getMessage());
        }
    }

    private static void policy(PolicySettings settings) {
        if (!settings.checkpoint().isBlank()) {
            if (!Files.exists(Path.of(settings.checkpoint()))) {
                throw new ConfigException("policy.checkpoint", "'" + settings.checkpoint() + "' does not exist; expected"
                        + " a model file or folder (or \"\" for the preset)");
            }
            return;
        }
        try {
            ModelPresets.preset(settings.preset(), new ByteTokenizer().vocabSize());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("policy.preset", e.getMessage());
        }
    }
}

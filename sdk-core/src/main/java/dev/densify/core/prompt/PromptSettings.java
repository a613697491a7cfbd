package dev.densify.core.prompt;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import java.util.List;
import java.util.Objects;

/**
 * The {@code policy.prompt} block: how the episode so far is shown to the policy. The defaults are the block in
 * {@code META-INF/densify/policy/tiny.yaml}.
 *
 * @param format {@code plain} (densify's own layout) or {@code chat} (the checkpoint's chat template)
 * @param history how many earlier turns (observation and action) the prompt shows; 0 shows the current observation
 *     only, the right choice for environments whose observations show the whole state
 * @param system a system prompt; empty for none
 * @param instruction whether the task's instruction opens the episode (an environment whose observations already
 *     state the goal, as gridworld's grid view does, would show it twice)
 * @param template a chat template to use instead of the checkpoint's: a {@code tokenizer_config.json}, a
 *     {@code .jinja} file or a GGUF file; empty for the one of {@code policy.checkpoint}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record PromptSettings(String format, int history, String system, boolean instruction, String template) {
    /** The formats there are. */
    public static final List<String> FORMATS = List.of("plain", "chat");

    public PromptSettings {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(template, "template");
        if (!FORMATS.contains(format)) {
            throw new ConfigException("policy.prompt.format", "'" + format + "' is not a prompt format; use one of "
                    + String.join(", ", FORMATS));
        }
        if (history < 0) {
            throw new ConfigException("policy.prompt.history", history + " is not allowed; expected 0 (the current "
                    + "observation only) or more earlier turns");
        }
        if (!template.isBlank() && !format.equals("chat")) {
            throw new ConfigException("policy.prompt.template", "a chat template is only used with "
                    + "policy.prompt.format=chat, the format is " + format);
        }
    }

    public static PromptSettings defaults() {
        return PluginConfig.defaultsOf(PromptSettings.class, "policy", "tiny", "prompt");
    }

    public boolean chat() {
        return format.equals("chat");
    }
}

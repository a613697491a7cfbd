package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.prompt.PromptSettings;
import java.util.Objects;

/**
 * The {@code policy} configuration group: which model acts, how it samples, and how the episode so far becomes its
 * prompt ({@code policy.prompt}). With an empty {@code checkpoint} a preset is initialised from the run seed with
 * the built-in byte-level tokenizer. {@code lora} with a positive rank freezes the checkpoint's weights and trains
 * low-rank adapters; {@code memory} is what the memory check before a run on a checkpoint assumes. Every key and
 * its default is in {@code META-INF/densify/policy/tiny.yaml}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record PolicySettings(String preset, String checkpoint, double temperature, int topK, double topP,
                             int maxActionTokens, PromptSettings prompt, LoraSettings lora, MemorySettings memory) {
    public PolicySettings {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(memory, "memory");
        if (lora.enabled() && checkpoint.isBlank()) {
            throw new ConfigException("policy.lora.rank", lora.rank() + " adapts a pretrained model, but"
                    + " policy.checkpoint is empty; set policy.checkpoint=PATH or policy.lora.rank=0");
        }
        if (!(temperature >= 0)) {
            throw new ConfigException("policy.temperature", temperature + " is not allowed; expected 0 (greedy) or more");
        }
        if (topK < 0) {
            throw new ConfigException("policy.top_k", topK + " is not allowed; expected 0 (off) or more");
        }
        Ranges.requirePositiveAtMost("policy.top_p", topP, 1);
        Ranges.requirePositive("policy.max_action_tokens", maxActionTokens);
    }

    /** Settings with the shipped prompt, lora (off) and memory blocks. */
    public PolicySettings(String preset, String checkpoint, double temperature, int topK, double topP,
                          int maxActionTokens) {
        this(preset, checkpoint, temperature, topK, topP, maxActionTokens, PromptSettings.defaults(), LoraSettings.OFF,
                MemorySettings.defaults());
    }

    /** Settings with this prompt and the shipped lora (off) and memory blocks. */
    public PolicySettings(String preset, String checkpoint, double temperature, int topK, double topP,
                          int maxActionTokens, PromptSettings prompt) {
        this(preset, checkpoint, temperature, topK, topP, maxActionTokens, prompt, LoraSettings.OFF,
                MemorySettings.defaults());
    }

    public static PolicySettings defaults() {
        return PluginConfig.defaultsOf(PolicySettings.class, "policy", "tiny");
    }

    /** How the acting policy samples, stopping at the agent prompt's end markers. */
    public SamplingOptions sampling() {
        return new SamplingOptions(maxActionTokens, temperature, topK, topP, AgentPrompt.STOP_STRINGS);
    }
}

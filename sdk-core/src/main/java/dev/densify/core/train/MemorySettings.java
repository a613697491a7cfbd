package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;

/**
 * The {@code policy.memory} block: what the memory check before a run on a checkpoint assumes.
 *
 * @param sequenceTokens the longest prompt plus action, in tokens, that the activation estimate assumes (attention
 *     memory grows with its square); 0 takes the model's whole context
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record MemorySettings(int sequenceTokens) {
    public MemorySettings {
        if (sequenceTokens < 0) {
            throw new ConfigException("policy.memory.sequence_tokens", sequenceTokens
                    + " is not allowed; expected 0 (the model's context) or a positive number of tokens");
        }
    }

    public static MemorySettings defaults() {
        return PluginConfig.defaultsOf(MemorySettings.class, "policy", "tiny", "memory");
    }

    /** The sequence length to assume for a model whose context is {@code context} tokens. */
    public int sequenceTokens(int context) {
        return sequenceTokens == 0 ? context : Math.min(sequenceTokens, context);
    }
}

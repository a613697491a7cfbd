package dev.densify.reward.critic.neural;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Configuration of {@code critic=transformer}; component names are the configuration keys.
 *
 * @param hidden width of the encoder; in [1, 4096] and divisible by {@code heads}
 * @param heads attention heads per block; in [1, 64]
 * @param blocks encoder blocks; in [1, 8]
 * @param dropout dropout rate on residual branches and the pooled layer while training; in [0, 1)
 * @param epochs most passes over the training samples per fit; in [1, 100000]
 * @param lr AdamW learning rate; in (0, 1]
 * @param weightDecay AdamW decoupled weight decay of the weight matrices; in [0, 10]
 * @param batch samples per mini-batch; in [1, 1000000]
 * @param patience epochs without held-out improvement before stopping; in [1, 100000]
 * @param memory also remember each state key's mean return and blend it into the head's value ({@link StateMemory})
 * @param memoryPrior how many returns the head's value weighs as in that blend; in (0, 1e6]
 * @param seed seeds initialisation, shuffling and dropout
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record TransformerCriticConfig(int hidden, int heads, int blocks, double dropout, int epochs, double lr,
                                      double weightDecay, int batch, int patience, boolean memory, double memoryPrior,
                                      long seed) {

    public TransformerCriticConfig {
        Ranges.requireBetween("hidden", hidden, 1, 4096);
        Ranges.requireBetween("heads", heads, 1, 64);
        Ranges.requireBetween("blocks", blocks, 1, 8);
        if (hidden % heads != 0) {
            throw new ConfigException("heads", "hidden (" + hidden + ") must be divisible by heads (" + heads + ")");
        }
        TrainingSettings.check(epochs, lr, weightDecay, batch, patience, dropout, memoryPrior);
    }

    public static TransformerCriticConfig defaults() {
        return PluginConfig.defaultsOf(TransformerCriticConfig.class, "critic", "transformer");
    }

    TrainingSettings training() {
        return new TrainingSettings(epochs, lr, weightDecay, batch, patience, dropout, memory, memoryPrior, seed);
    }
}

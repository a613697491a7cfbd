package dev.densify.reward.critic.neural;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Configuration of {@code critic=mlp}; component names are the configuration keys.
 *
 * @param hidden width of the two hidden layers; in [1, 4096]
 * @param meanPool also feed the mean over the state's feature rows, not only the last row
 * @param dropout dropout rate after each hidden layer while training; in [0, 1)
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
public record MlpCriticConfig(int hidden, boolean meanPool, double dropout, int epochs, double lr,
                              double weightDecay, int batch, int patience, boolean memory, double memoryPrior,
                              long seed) {

    public MlpCriticConfig {
        Ranges.requireBetween("hidden", hidden, 1, 4096);
        TrainingSettings.check(epochs, lr, weightDecay, batch, patience, dropout, memoryPrior);
    }

    public static MlpCriticConfig defaults() {
        return PluginConfig.defaultsOf(MlpCriticConfig.class, "critic", "mlp");
    }

    TrainingSettings training() {
        return new TrainingSettings(epochs, lr, weightDecay, batch, patience, dropout, memory, memoryPrior, seed);
    }
}

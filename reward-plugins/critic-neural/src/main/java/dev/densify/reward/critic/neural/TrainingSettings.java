package dev.densify.reward.critic.neural;

import dev.densify.api.config.Ranges;

/** How a neural critic fits, whatever its head: the keys both configurations share. */
record TrainingSettings(int epochs, double learningRate, double weightDecay, int batch, int patience,
                        double dropout, boolean memory, double memoryPrior, long seed) {

    /** The ranges of the training keys both configurations share, named as users type them. */
    static void check(int epochs, double lr, double weightDecay, int batch, int patience, double dropout,
                      double memoryPrior) {
        Ranges.requireBetween("epochs", epochs, 1, 100_000);
        Ranges.requirePositiveAtMost("lr", lr, 1);
        Ranges.requireBetween("weight_decay", weightDecay, 0, 10);
        Ranges.requireBetween("batch", batch, 1, 1_000_000);
        Ranges.requireBetween("patience", patience, 1, 100_000);
        Ranges.requireAtLeastAndBelow("dropout", dropout, 0, 1);
        Ranges.requirePositiveAtMost("memory_prior", memoryPrior, 1e6);
    }
}

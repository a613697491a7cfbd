package dev.densify.reward.critic.neural;

/** How a neural critic fits, whatever its head: the keys both configurations share. */
record TrainingSettings(int epochs, double learningRate, double weightDecay, int batch, int patience,
                        double dropout, long seed) {}

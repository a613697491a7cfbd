/**
 * {@code densify rm}: reward models trained offline. {@code pairs} builds preference pairs from run folders,
 * {@code train} fits the multi-head preference model and evaluates it on held-out tasks, {@code eval} evaluates a
 * trained model on other pairs, {@code score} prints each pair's rewards.
 */
package dev.densify.cli.rm;

/**
 * The training loop: parallel episode collection with guarded environment calls, critic fitting on
 * Monte Carlo returns, dense reward synthesis, policy updates, held-out evaluation, checkpoints and
 * metrics. Everything a run draws at random derives from the run seed and the iteration, so a resumed
 * run repeats an uninterrupted one exactly.
 */
package dev.densify.core.train;

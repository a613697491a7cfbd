/**
 * Trained reward models as a reward source in RL: the {@code reward-model} shaper scores each step of an episode
 * with a model from {@code densify rm logs fit} or {@code densify rm train}, refines the scores with Clip or Delta
 * (Gao et al. 2024) so that they cannot be farmed, and contains every call into the model (deadline, exceptions,
 * non-finite scores).
 */
package dev.densify.rm.shaper;

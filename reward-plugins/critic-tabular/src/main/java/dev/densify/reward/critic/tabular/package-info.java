/**
 * The tabular critic: exact Monte Carlo averages of returns keyed by the environment's stateKey. It needs no
 * model and no features, so it is the baseline a learned critic must beat, and on small state spaces (gridworld)
 * it is the best value estimate there is.
 */
package dev.densify.reward.critic.tabular;

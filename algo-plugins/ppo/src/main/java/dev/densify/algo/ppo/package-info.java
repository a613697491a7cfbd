/**
 * PPO with a learned critic: generalised advantage estimation over agent steps from the critic's values, the
 * clipped surrogate on action tokens and the clipped value loss. The critic itself is fitted elsewhere (it is
 * a separate plugin), so this package only turns its values into advantages and value targets.
 */
package dev.densify.algo.ppo;

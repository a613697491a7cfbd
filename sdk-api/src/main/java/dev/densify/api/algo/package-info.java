/**
 * Policy optimisation algorithms (PPO, GRPO, ...): advantages as plain numbers and the token-level
 * loss on DJL arrays, with the training mechanics left to densify's learner. The PPO clipped surrogate lives
 * here too, so that optimiser plugins, which may not depend on each other, share one implementation of it.
 */
package dev.densify.api.algo;

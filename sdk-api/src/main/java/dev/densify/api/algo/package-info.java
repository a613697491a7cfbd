/**
 * Policy optimisation algorithms (PPO, GRPO, ...): advantages as plain numbers and the token-level
 * loss on DJL arrays, with the training mechanics left to densify's learner.
 */
package dev.densify.api.algo;

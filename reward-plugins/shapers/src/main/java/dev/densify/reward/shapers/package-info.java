/**
 * Reward shapers, each a pure function from one finished episode's process rewards, outcome and critic values
 * to per-step rewards: {@code none} (the sparse baseline), {@code potential} (Ng, Harada and Russell's
 * potential-based shaping over the critic), {@code gated} (G-RA: process rewards count only when the outcome
 * meets a threshold), {@code clip-delta} (Gao et al.'s bounded refinements) and {@code task-reward}
 * (the hand-designed reward from the environment's signals). They live together because they
 * share one contract and one set of invariants, proved by the property tests of this module.
 */
package dev.densify.reward.shapers;

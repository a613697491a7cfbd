/**
 * Reward normalisers, the last transformation before rewards reach the policy optimiser: {@code none},
 * {@code running} (running mean and standard deviation over every step reward seen, checkpointed),
 * {@code group} (z-scores within each group of episodes of one task), {@code clip} (a fixed range) and {@code par}
 * (preference as reward: the soft fraction of its group a reward beats). They keep
 * synthesized rewards on a scale the optimiser expects and in a range the policy cannot exploit.
 */
package dev.densify.reward.normalizers;

/**
 * Learned value critics over the frozen policy's hidden states: an MLP head and a small self-attention head,
 * trained with mini-batch AdamW on Monte Carlo returns, early-stopped on held-out trajectories. Parameters live
 * on the Java heap and are copied into DJL arrays per step, which keeps training deterministic under a seed,
 * makes checkpoints exact, and leaves no native memory behind between calls.
 */
package dev.densify.reward.critic.neural;

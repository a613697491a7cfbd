/**
 * Dense reward synthesis: shapers that turn a sparse outcome and critic values into per-step
 * rewards, and normalisers that bound the result before it reaches the policy optimiser.
 */
package dev.densify.api.reward;

/**
 * SPA-RL's stepwise progress attribution as a learned shaper ({@code shaper=spa-progress}): a progress estimator
 * fitted online so that an episode's per-step contributions sum to its outcome, plus a bonus for grounded (valid)
 * actions.
 */
package dev.densify.rm.spa;

/**
 * The group-relative policy optimisers: GRPO (and its Dr. GRPO variant), RLOO and GiGPO. They need no learned
 * critic because each episode is judged against the other episodes of the same task in the same iteration;
 * they share one clipped-surrogate loss with an optional k3 KL penalty to a frozen reference policy.
 */
package dev.densify.algo.grpo;

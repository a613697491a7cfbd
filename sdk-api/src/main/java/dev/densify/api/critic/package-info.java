/**
 * The step-level value critic: predicts V(s) from a state's key or the frozen policy's hidden
 * states, fits on Monte Carlo returns and reports held-out diagnostics so that overfitting shows.
 */
package dev.densify.api.critic;

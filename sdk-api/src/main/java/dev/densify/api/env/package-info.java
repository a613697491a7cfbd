/**
 * The environment contract that third parties build against: an episode-at-a-time {@link
 * dev.densify.api.env.Environment} with fork, found through an {@link dev.densify.api.env.EnvironmentProvider}
 * on the class path, plus the task sets it trains and evaluates on.
 */
package dev.densify.api.env;

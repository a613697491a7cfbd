/**
 * Where finished trajectories wait between the collectors (or remote rollout workers) that produce them and the
 * learner that trains on them: the {@link dev.densify.api.buffer.TrajectoryBuffer} contract, its deliveries and
 * their receipts, and the provider a buffer plugin registers, selected with {@code buffer=NAME}.
 */
package dev.densify.api.buffer;

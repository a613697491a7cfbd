/**
 * Where finished trajectories wait between the collectors (or remote rollout workers) that produce them and
 * the learner that trains on them: the in-memory and Redis Streams implementations of the
 * {@link dev.densify.api.buffer.TrajectoryBuffer} contract and their providers ({@code buffer=memory},
 * {@code buffer=redis}), the versioned JSON encoding shared by the stream and the run
 * folder's {@code trajectories/*.jsonl.gz}, the policy-lag filter, and worker heartbeats. Delivery is
 * at-least-once and deduplicated by trajectory id, so a learner trains on each trajectory exactly once per
 * checkpointed update even across crashes and Redis outages. Entries that are not valid trajectories of this run
 * are settled at once, counted by {@link dev.densify.core.buffer.DropReason reason} and, in Redis, kept in a
 * dead-letter stream, so that nothing a worker writes can stall or crash the learner.
 */
package dev.densify.core.buffer;

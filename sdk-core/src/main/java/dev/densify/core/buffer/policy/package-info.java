/**
 * How the learner hands new policy weights to rollout workers: a {@link dev.densify.core.buffer.policy.PolicyStore}
 * keeps the latest published versions with their SHA-256, in Redis for small models or in a shared folder for
 * large ones, and every read verifies the checksum so a worker never runs half-written or corrupted weights.
 */
package dev.densify.core.buffer.policy;

/**
 * Connection plumbing shared by everything densify keeps in Redis (the trajectory stream, policy versions,
 * worker heartbeats): settings parsed from a {@code redis://} or {@code rediss://} URL, and a connection that
 * retries with exponential backoff through an outage, reporting it once per interval instead of once per attempt.
 */
package dev.densify.core.redis;

/**
 * Commands that look into the trajectory buffer asynchronous training runs through: {@code densify buffer status}
 * shows a Redis stream's length, pending deliveries, consumers, drop counts and the rollout workers' heartbeats.
 */
package dev.densify.cli.buffer;

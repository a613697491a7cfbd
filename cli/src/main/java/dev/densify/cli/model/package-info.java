/**
 * Command-line commands around the policy model: generate text from a checkpoint, describe a checkpoint, and
 * benchmark generation and training throughput. The top-level {@code densify} command mounts them.
 */
package dev.densify.cli.model;

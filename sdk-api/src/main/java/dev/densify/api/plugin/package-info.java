/**
 * What all extension points share: the provider shape that ServiceLoader discovers and the state
 * that stateful plugins hand to checkpoints.
 */
package dev.densify.api.plugin;

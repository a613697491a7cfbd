/**
 * Hydra-style run configuration: a primary file choosing one option per group, option files shipped inside
 * jars as the defaults and schema of their group, a user file and command-line overrides merged on top, and
 * strict validation that reports every problem with its full path before any work starts. The composed result
 * is one YAML tree that, written to a run folder, reproduces the run.
 */
package dev.densify.core.config;

/**
 * Commands about environments: {@code densify env play} lets a person play an episode of any environment
 * plugin by typing actions, the quickest way to see whether an environment behaves as intended.
 */
package dev.densify.cli.env;

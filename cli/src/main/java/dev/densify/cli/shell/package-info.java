/**
 * What every command of the command line shares: the context of one invocation (standard streams, the plugin
 * registry and the configuration composer), the configuration options, user errors and the plugin path. Commands
 * depend on this package, never on the root command that lists them, so the command packages form no cycle.
 */
package dev.densify.cli.shell;

/**
 * The {@code densify} command line: a Picocli application whose commands compose a configuration, look up
 * plugins and drive densify's engine. It is the only module that writes to standard output; every error a
 * user can cause ends here as one clear line and a non-zero exit code.
 */
package dev.densify.cli;

/**
 * Guice wiring of one run: the composed configuration, the plugin registry and the plugins the configuration
 * selects. Engine classes ask for what they need by type; a test or an embedding application swaps any part by
 * overriding its binding with {@code Modules.override}.
 */
package dev.densify.core.inject;

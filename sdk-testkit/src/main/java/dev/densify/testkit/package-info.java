/**
 * The environment contract kit: an abstract JUnit 5 class that an environment author extends, naming the
 * provider, to check that the environment keeps every promise of {@code dev.densify.api.env} that training relies
 * on (determinism, independent forks, exact state keys, finite rewards, a clean end of episode), with random
 * action sequences that QuickTheories shrinks to a minimal failing one. Beside it, the checks every plugin's
 * smoke and architecture tests share: the shipped defaults file against the configuration record
 * ({@code PluginDefaults}) and the plugin's allowed dependencies ({@code PluginArchitecture}).
 */
package dev.densify.testkit;

/**
 * The contract kits for plugin authors: one abstract JUnit 5 class per plugin kind (environment, critic, shaper,
 * normaliser, algorithm) that an author extends, naming the provider, to check that the plugin keeps every
 * promise of its {@code dev.densify.api} package that training relies on, with random inputs that QuickTheories
 * shrinks to a minimal failing one. The kits for the configured kinds share {@code PluginContractTest}: discovery
 * through ServiceLoader, the shipped defaults file against the configuration record, unknown keys rejected with
 * their path. Beside them, the checks every plugin's smoke and architecture tests share: the defaults file reader
 * ({@code PluginDefaults}) and the plugin's allowed dependencies ({@code PluginArchitecture}).
 */
package dev.densify.testkit;

/**
 * The contract kits for plugin authors: one abstract JUnit 5 class per plugin kind (environment, critic, shaper,
 * normaliser, algorithm, trajectory buffer) that an author extends, naming the provider, to check that the plugin keeps every
 * promise of its {@code dev.densify.api} package that training relies on, with random inputs that QuickTheories
 * shrinks to a minimal failing one. Every kit extends {@code PluginContractTest}: discovery through ServiceLoader,
 * the shipped defaults file against the configuration record, unknown keys rejected with their path, an empty
 * configuration behaving as the defaults file. Beside them, what every plugin module's architecture test checks
 * ({@code ArchitectureContractTest}: allowed dependencies, stability markers, every provider registered; its part
 * for any module, {@code ModuleArchitectureContractTest}: no package cycles, no printing, stability markers) and the
 * defaults file checks ({@code PluginDefaults}).
 */
package dev.densify.testkit;

/**
 * Benchmarks of densify's own machinery that report numbers rather than assert them (tests never time things):
 * the policy model's generation and training throughput with peak memory. The CLI runs them and prints results.
 */
package dev.densify.core.bench;

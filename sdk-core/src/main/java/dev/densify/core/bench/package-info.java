/**
 * Benchmarks: main classes that measure and print throughput figures for docs/benchmarks.md. They are run by
 * hand, never by the test suite (tests do not time things), and are the only sdk-core code that prints.
 */
package dev.densify.core.bench;

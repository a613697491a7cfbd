/**
 * {@code densify rm logs fit|eval|drift}: reward models learned from logged state-action-reward records, their test
 * metrics, and the drift of new logs against the training logs.
 */
package dev.densify.cli.rm.logs;

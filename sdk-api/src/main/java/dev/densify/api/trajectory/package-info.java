/**
 * Finished episodes as collected: every step with its exact token ids and log-probabilities, the
 * states visited and the outcome. Critics, shapers and algorithms all read these records.
 */
package dev.densify.api.trajectory;

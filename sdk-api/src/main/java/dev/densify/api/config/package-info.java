/**
 * Configuration as plugins see it: a read-only, typed view of their own node of the composed run
 * configuration, with binding to records that rejects unknown keys by their full path.
 */
package dev.densify.api.config;

/**
 * Configuration as plugins see it: a read-only, typed view of their own node of the composed run
 * configuration, with binding to records that rejects unknown keys by their full path, and each record's defaults
 * read from the plugin's defaults file, the one place they are written.
 */
package dev.densify.api.config;

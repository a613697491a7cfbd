/**
 * The plugin registry: every environment, critic, shaper, normaliser and algorithm provider found with
 * ServiceLoader on one class loader, indexed by kind and name, with the jar and version it came from. It is
 * the only place where densify's engine learns which plugins exist, so duplicate and unknown names are
 * rejected here with messages that name the jars and the known names.
 */
package dev.densify.core.plugin;

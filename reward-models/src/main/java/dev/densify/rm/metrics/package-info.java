/**
 * Metrics of reward models with their uncertainty: pairwise accuracy, ROC-AUC by pair counting (the Mann-Whitney
 * statistic, defined only with both classes), score separation, and seeded percentile-bootstrap intervals.
 */
package dev.densify.rm.metrics;

/**
 * What a person looks at: self-contained HTML reports with in-page charts and PNG plots of a run folder
 * ({@code report.html}) and of an ablation folder ({@code ablation.html}), TensorBoard event files of every scalar
 * metric, and a small trajectory browser served on the loopback interface. Everything these pages show that came
 * from a run (trajectory text, task ids, configuration values, metric names) is untrusted and escaped.
 */
package dev.densify.core.report;

/**
 * Reward models learned from logged interactions: records of state, action and reward read from JSONL or CSV,
 * missing values dropped or imputed (and counted), reward scales normalised per source with the parameters kept so
 * that predictions map back, a predictor fitted on text features of state and action with a train / validation /
 * test split by episode, its test metrics, an overfitting monitor over the per-epoch curves, and a drift check of
 * new logs against the training logs by population stability index.
 */
package dev.densify.rm.logs;

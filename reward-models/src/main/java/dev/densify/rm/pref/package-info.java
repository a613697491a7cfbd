/**
 * The multi-module preference reward model: pairs of trajectories (a preferred and a rejected one, scored by the
 * head of the module the pair targets), a shared text encoder with one Bradley-Terry head per module, its
 * two-stage training, evaluation on a held-out split by task, checkpoints and a report.
 */
package dev.densify.rm.pref;

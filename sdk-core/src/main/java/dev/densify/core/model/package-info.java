/**
 * The policy language model: a Llama-architecture transformer on DJL's PyTorch engine that generates batches
 * of actions with per-token log-probabilities, scores token sequences differentiably for the learner, yields
 * hidden-state features for the critic, and trains fully or through LoRA adapters. Checkpoint formats and
 * tokenizers live in the {@code io} and {@code tokenizer} sub-packages.
 */
package dev.densify.core.model;

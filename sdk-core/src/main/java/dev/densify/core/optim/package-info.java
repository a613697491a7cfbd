/**
 * Optimisation of DJL parameter arrays outside DJL's Trainer: AdamW with decoupled weight decay, global gradient
 * norm clipping and a warmup-then-linear-decay learning-rate schedule, with state that checkpoints save and
 * restore byte for byte so that a resumed run continues exactly.
 */
package dev.densify.core.optim;

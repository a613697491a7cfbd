/**
 * Text encoders shared by densify's reward models: a text becomes one fixed-size vector. {@link
 * dev.densify.rm.encoder.LlamaTextEncoder} mean-pools the last hidden states of densify's own Llama model, frozen
 * (for cached embeddings) or trainable (for fine-tuning with the reward head).
 */
package dev.densify.rm.encoder;

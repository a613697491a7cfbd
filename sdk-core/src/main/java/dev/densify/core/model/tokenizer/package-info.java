/**
 * Tokenizers of the policy model: the built-in byte-level tokenizer for models trained from scratch, the
 * SentencePiece-style BPE of llama2.c and of GGUF files, and Hugging Face {@code tokenizer.json} through DJL's
 * tokenizers library, all behind one {@link dev.densify.core.model.tokenizer.Tokenizer} interface so that the model
 * never cares where its vocabulary came from.
 */
package dev.densify.core.model.tokenizer;

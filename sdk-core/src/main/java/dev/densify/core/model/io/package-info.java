/**
 * Checkpoint readers and writers: llama2.c {@code .bin}, GGUF and Hugging Face safetensors folders are all mapped
 * onto one in-memory {@link dev.densify.core.model.ModelWeights} with canonical tensor names, and written back as
 * safetensors. {@link dev.densify.core.model.io.ModelFiles} is the single entry point; every malformed input ends in
 * a {@link dev.densify.core.model.io.ModelFormatException} naming the file, the tensor and what was expected.
 */
package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;


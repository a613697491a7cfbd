package dev.densify.core.model;

import dev.densify.api.API;

/**
 * The architecture of a decoder-only Llama-family model.
 *
 * @param dim model width
 * @param hiddenDim SwiGLU feed-forward width
 * @param layers number of transformer blocks
 * @param heads query heads
 * @param kvHeads key/value heads (grouped-query attention when fewer than {@code heads})
 * @param vocabSize tokens in the vocabulary
 * @param maxSeqLen longest context
 * @param ropeTheta rotary base
 * @param normEps RMSNorm epsilon
 * @param tiedEmbeddings whether the output head reuses the token embedding
 * @param ropeInterleaved true when rotary embeddings rotate adjacent pairs (x[2i], x[2i+1]) as llama2.c and GGUF
 *     do; false for the rotate-half layout of Hugging Face checkpoints
 * @param attentionBias whether q/k/v projections carry biases (Qwen2)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record LlamaConfig(int dim, int hiddenDim, int layers, int heads, int kvHeads, int vocabSize, int maxSeqLen,
                          double ropeTheta, double normEps, boolean tiedEmbeddings, boolean ropeInterleaved,
                          boolean attentionBias) {
    public LlamaConfig {
        require(dim > 0, "dim must be positive, got " + dim);
        require(hiddenDim > 0, "hiddenDim must be positive, got " + hiddenDim);
        require(layers > 0, "layers must be positive, got " + layers);
        require(heads > 0 && dim % heads == 0, "heads must divide dim " + dim + ", got " + heads);
        require(kvHeads > 0 && heads % kvHeads == 0, "kvHeads must divide heads " + heads + ", got " + kvHeads);
        require(vocabSize > 0, "vocabSize must be positive, got " + vocabSize);
        require(maxSeqLen > 0, "maxSeqLen must be positive, got " + maxSeqLen);
        require(ropeTheta > 0, "ropeTheta must be positive, got " + ropeTheta);
        require(normEps > 0, "normEps must be positive, got " + normEps);
    }

    public int headSize() {
        return dim / heads;
    }

    public int kvDim() {
        return kvHeads * headSize();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

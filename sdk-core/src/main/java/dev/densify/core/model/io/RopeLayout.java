package dev.densify.core.model.io;

import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.CanonicalNames;
import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Converts Q/K projections between the two rotary layouts. Interleaved (llama2.c, GGUF) rotates rows (2i, 2i+1) of
 * each head together; rotate-half (Hugging Face) rotates rows (i, i + headSize/2). Reordering the rows of each head
 * of {@code q_proj}, {@code k_proj} (and their biases) turns one into the other without changing any attention score,
 * which is the permutation llama.cpp's converter applies.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RopeLayout {
    private RopeLayout() {}

    /** The same model in the rotate-half layout Hugging Face transformers expects; unchanged if already so. */
    public static ModelWeights toRotateHalf(ModelWeights weights) {
        return convert(weights, false);
    }

    /** The same model in llama2.c's interleaved layout; unchanged if already so. */
    public static ModelWeights toInterleaved(ModelWeights weights) {
        return convert(weights, true);
    }

    private static ModelWeights convert(ModelWeights weights, boolean interleaved) {
        Objects.requireNonNull(weights, "weights");
        LlamaConfig c = weights.config();
        if (c.ropeInterleaved() == interleaved) {
            return weights;
        }
        if (c.headSize() % 2 != 0) {
            throw new IllegalArgumentException("rotary embeddings need an even head size, got " + c.headSize());
        }
        Map<String, WeightTensor> tensors = new HashMap<>(weights.tensors());
        for (int i = 0; i < c.layers(); i++) {
            permute(tensors, CanonicalNames.layer(i, CanonicalNames.Q_PROJ), c.headSize(), interleaved);
            permute(tensors, CanonicalNames.layer(i, CanonicalNames.K_PROJ), c.headSize(), interleaved);
            permute(tensors, CanonicalNames.layer(i, CanonicalNames.Q_BIAS), c.headSize(), interleaved);
            permute(tensors, CanonicalNames.layer(i, CanonicalNames.K_BIAS), c.headSize(), interleaved);
        }
        LlamaConfig converted = new LlamaConfig(c.dim(), c.hiddenDim(), c.layers(), c.heads(), c.kvHeads(),
                c.vocabSize(), c.maxSeqLen(), c.ropeTheta(), c.normEps(), c.tiedEmbeddings(), interleaved,
                c.attentionBias());
        return new ModelWeights(converted, tensors, weights.tokenizer());
    }

    private static void permute(Map<String, WeightTensor> tensors, String name, int headSize, boolean toInterleaved) {
        WeightTensor tensor = tensors.get(name);
        if (tensor == null) {
            return;
        }
        int rows = (int) tensor.shape()[0];
        int rowLength = tensor.data().length / rows;
        int half = headSize / 2;
        float[] out = new float[tensor.data().length];
        for (int head = 0; head < rows / headSize; head++) {
            for (int pair = 0; pair < half; pair++) {
                for (int part = 0; part < 2; part++) {
                    int interleavedRow = head * headSize + 2 * pair + part;
                    int rotateHalfRow = head * headSize + part * half + pair;
                    int from = toInterleaved ? rotateHalfRow : interleavedRow;
                    int to = toInterleaved ? interleavedRow : rotateHalfRow;
                    System.arraycopy(tensor.data(), from * rowLength, out, to * rowLength, rowLength);
                }
            }
        }
        tensors.put(name, new WeightTensor(name, tensor.shape(), out));
    }
}

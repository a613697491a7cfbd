package dev.densify.rm.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.API;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A {@link TextEncoder} over densify's own Llama model: the text is tokenized by the checkpoint's tokenizer (byte
 * or sentencepiece, as the checkpoint says), the last hidden states after the final norm are mean-pooled over the
 * text's tokens (BOS included, padding masked out).
 *
 * <p>Texts longer than {@code maxTokens} keep BOS and their last {@code maxTokens - 1} tokens: the end of an episode
 * is what decides its outcome. Two paths give the same numbers: {@link #encode(List)} (no gradients, for caching)
 * and {@link #encode(NDManager, List)} (differentiable with respect to {@link #trainableParameters()} once
 * {@link #setTrainable(boolean) trainable}, for fine-tuning).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class LlamaTextEncoder implements TextEncoder {
    private final LlamaModel model;
    private final int maxTokens;
    private final int batchSize;

    /**
     * @param model the encoder's weights; this encoder owns and closes it
     * @param maxTokens the most tokens of one text that are encoded (at most the model's context)
     * @param batchSize texts per forward pass in {@link #encode(List)}
     */
    public LlamaTextEncoder(LlamaModel model, int maxTokens, int batchSize) {
        this.model = Objects.requireNonNull(model, "model");
        if (maxTokens < 2 || maxTokens > model.config().maxSeqLen()) {
            throw new IllegalArgumentException("maxTokens must be in [2, " + model.config().maxSeqLen()
                    + "] (the model's context), got " + maxTokens);
        }
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        this.maxTokens = maxTokens;
        this.batchSize = batchSize;
        model.setTrainable(false);
    }

    /**
     * Loads a checkpoint of any format densify reads (llama2.c .bin with its tokenizer beside it, GGUF, a Hugging
     * Face safetensors folder, a policy checkpoint folder), frozen.
     */
    public static LlamaTextEncoder open(Path checkpoint, int maxTokens, int batchSize) throws IOException {
        Objects.requireNonNull(checkpoint, "checkpoint");
        ModelWeights weights = ModelFiles.read(checkpoint);
        if (weights.tokenizer().isEmpty()) {
            throw new IOException("the checkpoint " + checkpoint + " carries no tokenizer (a llama2.c .bin needs "
                    + "tokenizer.bin or tok<vocab>.bin beside it)");
        }
        return new LlamaTextEncoder(LlamaModel.fromWeights(weights), Math.min(maxTokens,
                weights.config().maxSeqLen()), batchSize);
    }

    /** The underlying model, e.g. to save its weights with a reward model's checkpoint. */
    public LlamaModel model() {
        return model;
    }

    public int maxTokens() {
        return maxTokens;
    }

    @Override
    public int dimension() {
        return model.config().dim();
    }

    /** The token ids the encoder sees for {@code text}: BOS, then the text's last {@code maxTokens - 1} tokens. */
    public int[] tokens(String text) {
        Objects.requireNonNull(text, "text");
        Tokenizer tokenizer = model.tokenizer();
        int[] ids = tokenizer.encode(text, true);
        if (ids.length <= maxTokens) {
            return ids;
        }
        int[] kept = new int[maxTokens];
        kept[0] = ids[0];
        System.arraycopy(ids, ids.length - (maxTokens - 1), kept, 1, maxTokens - 1);
        return kept;
    }

    @Override
    public float[][] encode(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        float[][] out = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<String> batch = texts.subList(from, Math.min(texts.size(), from + batchSize));
            try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                float[] pooled = pool(manager, tokenize(batch), true).toFloatArray();
                for (int b = 0; b < batch.size(); b++) {
                    out[from + b] = Arrays.copyOfRange(pooled, b * dimension(), (b + 1) * dimension());
                }
            }
        }
        return out;
    }

    /**
     * The pooled embeddings [texts, dimension] as an array of {@code manager}, differentiable with respect to
     * {@link #trainableParameters()} when called inside a {@code GradientCollector} on a trainable encoder.
     */
    public NDArray encode(NDManager manager, List<String> texts) {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(texts, "texts");
        if (texts.isEmpty()) {
            throw new IllegalArgumentException("at least one text is needed");
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray pooled = pool(manager, tokenize(texts), !model.isTrainable());
            NDScope.unregister(pooled);
            pooled.attach(manager);
            return pooled;
        }
    }

    private List<int[]> tokenize(List<String> texts) {
        List<int[]> sequences = new ArrayList<>(texts.size());
        texts.forEach(text -> sequences.add(tokens(text)));
        return sequences;
    }

    /** Masked mean over each sequence's positions of the last hidden states. */
    private NDArray pool(NDManager manager, List<int[]> sequences, boolean detached) {
        int length = sequences.stream().mapToInt(s -> s.length).max().orElseThrow();
        float[] mask = new float[sequences.size() * length];
        float[] counts = new float[sequences.size()];
        for (int b = 0; b < sequences.size(); b++) {
            Arrays.fill(mask, b * length, b * length + sequences.get(b).length, 1f);
            counts[b] = sequences.get(b).length;
        }
        NDArray hidden = model.hiddenStates(manager, sequences);
        if (detached) {
            hidden = hidden.stopGradient();
        }
        NDArray maskArray = LlamaModel.owned(manager.create(mask, new Shape(sequences.size(), length, 1)));
        NDArray countArray = LlamaModel.owned(manager.create(counts, new Shape(sequences.size(), 1)));
        return hidden.mul(maskArray).sum(new int[] {1}).div(countArray);
    }

    /** The encoder's weights, each with a gradient after backward; empty while frozen. */
    public List<NDArray> trainableParameters() {
        return model.trainableParameters();
    }

    /** Frozen (the default) or fine-tuned along with a head. */
    public void setTrainable(boolean trainable) {
        model.setTrainable(trainable);
    }

    public boolean isTrainable() {
        return model.isTrainable();
    }

    @Override
    public void close() {
        model.close();
    }
}

package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.core.model.LlamaConfig;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.LoraTarget;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The memory a training run needs, estimated from its settings before anything is loaded, and the verdict whether
 * it fits. Everything is float32. Native (PyTorch) memory: the policy's weights, the frozen reference copy, the
 * adapters (policy's and reference's), gradients and AdamW's two moments of what trains, the training forward's
 * saved activations for one mini-batch of sequences of an assumed length (with adapter dropout, its masks and
 * branches too), and the KV cache of one iteration's episodes.
 * Heap: the checkpoint's weights as read from the file (until they are copied into the model) and the critic's
 * feature cache at its capacity. Not counted: the engine's own libraries and the JVM beyond its heap.
 *
 * @param weights the base model's weights
 * @param reference the frozen reference copy (critic features and KL read it)
 * @param adapters LoRA adapters of the policy and the reference (0 without LoRA)
 * @param gradients one gradient per trained value
 * @param optimizer AdamW's first and second moments of every trained value
 * @param activations what the training forward keeps for backward, one mini-batch at the full context
 * @param kvCache keys and values while one iteration's episodes generate at the full context
 * @param loadingCopy the weights on the heap as read from the checkpoint
 * @param featureCache the critic's cache of frozen features, at capacity
 * @param sequenceTokens the sequence length (prompt and action) the activations and KV cache assume
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record MemoryBudget(long weights, long reference, long adapters, long gradients, long optimizer,
                           long activations, long kvCache, long loadingCopy, long featureCache,
                           int sequenceTokens) {
    private static final long FLOAT = 4;

    /** What this process may use: its maximum heap and the machine's physical memory, in bytes. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Available(long heap, long physical) {
        public static Available ofThisProcess() {
            long physical = ManagementFactory.getOperatingSystemMXBean()
                    instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : Long.MAX_VALUE;
            return new Available(Runtime.getRuntime().maxMemory(), physical);
        }
    }

    /** Whether the run fits, and the sentence that says so (or what to change). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Verdict(boolean fits, String message) {}

    /**
     * The estimate for a run of {@code model} with {@code lora} (empty: every weight trains) and {@code trainer}, its
     * sequences (prompt and action) at most {@code sequenceTokens} long.
     */
    public static MemoryBudget estimate(LlamaConfig model, Optional<LoraConfig> lora, TrainerSettings trainer,
                                        int sequenceTokens) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(lora, "lora");
        Objects.requireNonNull(trainer, "trainer");
        long base = parameters(model);
        long adapter = lora.map(l -> adapterParameters(model, l)).orElse(0L);
        long trained = lora.isPresent() ? adapter : base;
        if (sequenceTokens <= 0) {
            throw new IllegalArgumentException("sequenceTokens must be positive, got " + sequenceTokens);
        }
        long context = Math.min(sequenceTokens, model.maxSeqLen());
        long batch = trainer.miniBatch();
        long qkv = 2L * (model.heads() + model.kvHeads()) * model.headSize() + (long) model.kvHeads() * model.headSize();
        long perLayer = batch * context * (6L * model.dim() + qkv + 3L * model.hiddenDim())
                + 2L * batch * model.heads() * context * context;
        perLayer += batch * context * lora.map(l -> adapterDropoutActivations(model, l)).orElse(0L);
        long activations = perLayer * model.layers() + 3L * batch * context * model.vocabSize();
        long kvCache = (long) trainer.episodesPerIteration() * model.layers() * 2L * model.kvHeads() * model.headSize()
                * context;
        long features = (long) Trainer.FEATURE_CACHE * trainer.criticFeatureTokens() * model.dim();
        return new MemoryBudget(FLOAT * base, FLOAT * base, FLOAT * 2 * adapter, FLOAT * trained, FLOAT * 2 * trained,
                FLOAT * activations, FLOAT * kvCache, FLOAT * base, FLOAT * features, (int) context);
    }

    /** Native memory: tensors PyTorch allocates outside the Java heap. */
    public long nativeBytes() {
        return weights + reference + adapters + gradients + optimizer + activations + kvCache;
    }

    public long heapBytes() {
        return loadingCopy + featureCache;
    }

    public long totalBytes() {
        return nativeBytes() + heapBytes();
    }

    /** Fits when the heap part fits the maximum heap and the whole fits the physical memory. */
    public Verdict check(Available available) {
        Objects.requireNonNull(available, "available");
        if (heapBytes() > available.heap()) {
            return new Verdict(false, "the run needs about " + mib(heapBytes()) + " MiB of Java heap (" + heapParts()
                    + ") but this JVM may use at most " + mib(available.heap()) + " MiB; raise it with -Xmx (e.g."
                    + " DENSIFY_JAVA_OPTS=-Xmx" + Math.max(1, (heapBytes() * 3 / 2 + (1L << 30) - 1) >> 30) + "g)");
        }
        if (totalBytes() > available.physical()) {
            return new Verdict(false, "the run needs about " + mib(totalBytes()) + " MiB (" + describe()
                    + ") but the machine has " + mib(available.physical()) + " MiB of physical memory; lower"
                    + " trainer.mini_batch, trainer.episodes_per_iteration or policy.memory.sequence_tokens, use"
                    + " policy.lora.rank > 0, or a smaller model");
        }
        return new Verdict(true, "the run needs about " + mib(totalBytes()) + " MiB (" + describe() + "); available: "
                + mib(available.heap()) + " MiB heap, " + mib(available.physical()) + " MiB physical");
    }

    /** Every part in MiB, as the verdict states them. */
    public String describe() {
        return String.format(Locale.ROOT, "native %s MiB: weights %s, reference %s, adapters %s, gradients %s,"
                        + " optimizer %s, activations %s and KV cache %s at %d-token sequences; %s", mib(nativeBytes()),
                mib(weights), mib(reference), mib(adapters), mib(gradients), mib(optimizer), mib(activations),
                mib(kvCache), sequenceTokens, heapParts());
    }

    private String heapParts() {
        return String.format(Locale.ROOT, "heap %s MiB: weights as read %s, critic feature cache %s", mib(heapBytes()),
                mib(loadingCopy), mib(featureCache));
    }

    /** Parameters of the base model: embeddings, every block's projections and norms, the final norm, the head. */
    static long parameters(LlamaConfig c) {
        long dim = c.dim();
        long kvDim = (long) c.kvHeads() * c.headSize();
        long perLayer = 2 * dim + dim * (2 * dim + 2 * kvDim) + 3L * c.hiddenDim() * dim
                + (c.attentionBias() ? dim + 2 * kvDim : 0);
        return perLayer * c.layers() + (long) c.vocabSize() * dim * (c.tiedEmbeddings() ? 1 : 2) + dim;
    }

    /** Adapter values: rank * (in + out) for every target of every layer. */
    static long adapterParameters(LlamaConfig c, LoraConfig lora) {
        long dim = c.dim();
        long kvDim = (long) c.kvHeads() * c.headSize();
        long perLayer = 0;
        for (LoraTarget target : lora.targets()) {
            long inPlusOut = switch (target) {
                case Q, O -> 2 * dim;
                case K, V -> dim + kvDim;
                case GATE, UP, DOWN -> dim + c.hiddenDim();
            };
            perLayer += lora.rank() * inPlusOut;
        }
        return perLayer * c.layers();
    }

    /**
     * Values per token and layer that a training forward with adapter dropout keeps besides the base model's: each
     * target's mask and dropped input (its input's width each) and its rank-wide hidden output. Without dropout the
     * adapters are folded into the weights and keep nothing of their own.
     */
    static long adapterDropoutActivations(LlamaConfig c, LoraConfig lora) {
        if (lora.dropout() == 0) {
            return 0;
        }
        long perToken = 0;
        for (LoraTarget target : lora.targets()) {
            long in = target == LoraTarget.DOWN ? c.hiddenDim() : c.dim();
            perToken += 2 * in + lora.rank();
        }
        return perToken;
    }

    /** Whole MiB, with a decimal below 10 MiB so that small parts do not read as nothing. */
    private static String mib(long bytes) {
        double mib = bytes / (double) (1L << 20);
        return mib < 10 ? String.format(Locale.ROOT, "%.1f", mib) : Long.toString(Math.round(mib));
    }
}

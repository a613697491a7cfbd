package dev.densify.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.densify.api.API;
import dev.densify.core.model.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A decoder-only Llama-family language model (RMSNorm, rotary embeddings in the interleaved or rotate-half
 * layout, grouped-query attention, SwiGLU, tied or separate output head, optional q/k/v biases) whose
 * parameters are plain DJL arrays on the PyTorch engine.
 *
 * <p>It serves three callers: the collector ({@link #generate}, batched with a KV cache, per-token log-probs),
 * the learner ({@link #score}, differentiable log-probs inside the caller's {@code GradientCollector}) and the
 * critic ({@link #features}). Inference paths use detached weights and their own scopes, so they are safe on any
 * thread and leave no native memory behind. Generation may run on several threads at once; training steps
 * (score, backward, optimizer update) must not overlap with anything else on the same model.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class LlamaModel implements AutoCloseable {
    private final LlamaConfig config;
    private final Tokenizer tokenizer;
    private final Parameters parameters;
    private final NDArray ropeTable;
    private static final int MIN_ROWS_PER_SHARD = 8;

    /**
     * AUTO decodes in Java while batch * dim stays within this: the engine's per-call cost is paid once per step
     * for the whole batch, the Java arithmetic per row, so the engine wins for wide models and large batches (the
     * crossover measured in docs/benchmarks.md, "Java decoding": batch 16-24 for stories260K at dim 64, 4-16 at
     * dim 256).
     */
    static final int JAVA_DECODING_MAX_BATCH_DIM = 1024;

    private boolean trainable;
    private int generationThreads = 1;
    private Decoding decoding = Decoding.fromSystemProperty();
    private final GenerationClock clock = new GenerationClock();
    private ExecutorService pool;

    private LlamaModel(Tokenizer tokenizer, Parameters parameters, boolean trainable) {
        this.config = parameters.config();
        this.tokenizer = tokenizer;
        this.parameters = parameters;
        this.ropeTable = parameters.persist(new long[] {config.maxSeqLen(), 2L * config.headSize()},
                Rope.table(config));
        setTrainable(trainable);
    }

    /**
     * A freshly initialised model, identical for equal seeds: weights N(0, 0.02), residual output projections
     * (o_proj, down_proj) N(0, 0.02 / sqrt(2 * layers)), norm gains 1, biases 0.
     */
    public static LlamaModel random(LlamaConfig config, Tokenizer tokenizer, long seed) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(tokenizer, "tokenizer");
        checkCompatible(config, tokenizer);
        Random random = new Random(seed);
        double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
        Parameters parameters = new Parameters(config);
        CanonicalNames.expectedShapes(config).forEach((name, shape) -> {
            float[] data = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
            if (name.endsWith("layernorm.weight") || name.equals(CanonicalNames.FINAL_NORM)) {
                Arrays.fill(data, 1f);
            } else if (!name.endsWith(".bias")) {
                boolean residual = name.endsWith(CanonicalNames.O_PROJ) || name.endsWith(CanonicalNames.DOWN_PROJ);
                double std = residual ? residualStd : 0.02;
                for (int i = 0; i < data.length; i++) {
                    data[i] = (float) (random.nextGaussian() * std);
                }
            }
            parameters.putBase(name, shape, data);
        });
        return new LlamaModel(tokenizer, parameters, true);
    }

    /**
     * A model with the checkpoint's weights. Every tensor the configuration implies must be present with its
     * exact shape, and no other; a problem names the tensor and what was expected.
     */
    public static LlamaModel fromWeights(ModelWeights weights, Tokenizer tokenizer) {
        Objects.requireNonNull(weights, "weights");
        Objects.requireNonNull(tokenizer, "tokenizer");
        LlamaConfig config = weights.config();
        checkCompatible(config, tokenizer);
        CanonicalNames.requireComplete(config, weights.tensors());
        Map<String, long[]> expected = CanonicalNames.expectedShapes(config);
        Parameters parameters = new Parameters(config);
        expected.forEach((name, shape) -> parameters.putBase(name, shape, weights.tensors().get(name).data()));
        return new LlamaModel(tokenizer, parameters, true);
    }

    /** {@link #fromWeights(ModelWeights, Tokenizer)} with the tokenizer the checkpoint carries. */
    public static LlamaModel fromWeights(ModelWeights weights) {
        Objects.requireNonNull(weights, "weights");
        Tokenizer tokenizer = weights.tokenizer().orElseThrow(() -> new IllegalArgumentException(
                "the checkpoint carries no tokenizer; pass one to LlamaModel.fromWeights(weights, tokenizer)"));
        return fromWeights(weights, tokenizer);
    }

    private static void checkCompatible(LlamaConfig config, Tokenizer tokenizer) {
        if (config.headSize() % 2 != 0) {
            throw new IllegalArgumentException("rotary embeddings need an even head size, got dim " + config.dim()
                    + " / heads " + config.heads() + " = " + config.headSize());
        }
        if (tokenizer.vocabSize() > config.vocabSize()) {
            throw new IllegalArgumentException("the tokenizer has " + tokenizer.vocabSize()
                    + " tokens but the model's vocabulary holds only " + config.vocabSize());
        }
    }

    public LlamaConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    /** Parameters of the base model (LoRA adapters excluded). */
    public long parameterCount() {
        return parameters.baseCount();
    }

    /** The base weights under canonical names, with the tokenizer; LoRA adapters are in {@link #loraWeights()}. */
    public ModelWeights toWeights() {
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        parameters.baseTensors().forEach((name, array) -> tensors.put(name, Parameters.toTensor(name, array)));
        return new ModelWeights(config, tensors, Optional.of(tokenizer));
    }

    /**
     * Overwrites parameters in place from a checkpoint of the same configuration, e.g. to resume training. The
     * tensors may be the base weights, the LoRA adapters ({@link #loraWeights()} names, only when this model has
     * adapters of the same shapes), or both; every tensor given must exist here with the same shape.
     */
    public void restore(ModelWeights weights) {
        Objects.requireNonNull(weights, "weights");
        if (!weights.config().equals(config)) {
            throw new IllegalArgumentException("cannot restore a checkpoint of " + weights.config()
                    + " into a model of " + config);
        }
        Map<String, long[]> known = new LinkedHashMap<>(CanonicalNames.expectedShapes(config));
        known.putAll(parameters.adapterShapes());
        Map<String, WeightTensor> tensors = weights.tensors();
        tensors.forEach((name, tensor) -> {
            long[] shape = known.get(name);
            if (shape == null) {
                throw new IllegalArgumentException("cannot restore unknown tensor '" + name + "'"
                        + (name.contains(".lora_") ? " (this model has no such LoRA adapter)" : ""));
            }
            if (!Arrays.equals(shape, tensor.shape())) {
                throw new IllegalArgumentException("cannot restore tensor '" + name + "' of shape "
                        + Parameters.shape(tensor.shape()) + " into shape " + Parameters.shape(shape));
            }
        });
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            tensors.forEach((name, tensor) -> {
                NDArray target = parameters.baseTensors().containsKey(name)
                        ? parameters.base(name) : parameters.adapterTensors().get(name);
                Parameters.overwrite(target, owned(parameters.manager().create(tensor.data(), new Shape(tensor.shape()))));
            });
        }
    }

    /** Cumulative time of this model's generation calls, prefill and decode. */
    public GenerationClock generationClock() {
        return clock;
    }

    /** Full forward pass of one sequence: logits [position][vocab], for reference checks. */
    public float[][] logits(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        checkSequence(tokens, "tokens");
        int length = tokens.length;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Transformer.Packed w = Transformer.pack(parameters, true);
            NDArray hidden = fullForward(w, List.of(tokens), length);
            return rows(Transformer.logits(w, hidden).toFloatArray(), length, config.vocabSize());
        }
    }

    /**
     * Logits [position][vocab] computed the way generation does, one token at a time through the KV cache;
     * tests compare them with {@link #logits(int[])}.
     */
    float[][] incrementalLogits(int[] tokens) {
        checkSequence(tokens, "tokens");
        float[][] out = new float[tokens.length][];
        try (NDScope scope = new NDScope();
             NDManager manager = parameters.manager().newSubManager()) {
            scope.suppressNotUsedWarning();
            Transformer.Packed w = Transformer.pack(parameters, true);
            try (DecodeSession session = new DecodeSession(config, w, ropeTable, manager,
                    List.of(new int[] {tokens[0]}), tokens.length)) {
                out[0] = session.prefill(List.of(new int[] {tokens[0]})).toFloatArray();
                for (int i = 1; i < tokens.length; i++) {
                    out[i] = session.step(new int[] {tokens[i]}).toFloatArray();
                }
            }
        }
        return out;
    }

    /**
     * Continues each prompt (token ids, usually starting with BOS). Rows are independent: row i samples with its
     * own generator split from {@code seed}, so equal seeds give equal results. Rows stop on EOS, a stop string,
     * {@code maxNewTokens} or a full context, and leave the batch as they finish.
     */
    public List<Generation> generate(List<int[]> prompts, SamplingOptions options, long seed) {
        Objects.requireNonNull(prompts, "prompts");
        Objects.requireNonNull(options, "options");
        if (prompts.isEmpty()) {
            return List.of();
        }
        int batch = prompts.size();
        int[] budget = new int[batch];
        for (int b = 0; b < batch; b++) {
            int[] prompt = Objects.requireNonNull(prompts.get(b), "prompt");
            checkSequence(prompt, "prompt " + b);
            if (prompt.length >= config.maxSeqLen()) {
                throw new IllegalArgumentException("prompt " + b + " has " + prompt.length
                        + " tokens and leaves no room in the context of " + config.maxSeqLen());
            }
            budget[b] = Math.min(options.maxNewTokens(), config.maxSeqLen() - prompt.length);
        }
        SplittableRandom root = new SplittableRandom(seed);
        Generator.Row[] rows = new Generator.Row[batch];
        for (int b = 0; b < batch; b++) {
            rows[b] = new Generator.Row(budget[b], root.split());
        }
        int shards = Math.min(generationThreads, Math.max(1, batch / MIN_ROWS_PER_SHARD));
        if (usesJavaDecoding(batch)) {
            // weights are copied per call: the optimizer updates them in place, so a kept copy could go stale
            JavaDecoder decoder = new JavaDecoder(parameters, tokenizer, options, clock);
            if (shards == 1) {
                decoder.decode(prompts, rows);
            } else {
                runShards(decoder::decode, prompts, rows, shards);
            }
        } else {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                Transformer.Packed packed = Transformer.pack(parameters, true);
                Transformer.Packed w = options.isGreedy() || options.temperature() == 1 ? packed
                        : packed.withTemperature(options.temperature());
                Generator generator = new Generator(config, tokenizer, w, ropeTable, parameters.manager(), options,
                        clock);
                if (shards == 1) {
                    generator.decode(prompts, rows);
                } else {
                    runShards(generator::decode, prompts, rows, shards);
                }
            }
        }
        List<Generation> out = new ArrayList<>(batch);
        for (Generator.Row row : rows) {
            out.add(row.toGeneration(tokenizer));
        }
        return out;
    }

    boolean usesJavaDecoding(int batch) {
        return switch (decoding) {
            case JAVA -> true;
            case ENGINE -> false;
            case AUTO -> (long) batch * config.dim() <= JAVA_DECODING_MAX_BATCH_DIM;
        };
    }

    /**
     * How {@link #generate} computes each token: in plain Java for small models (AUTO, the default, or the
     * {@value Decoding#PROPERTY} system property), always in Java, or always on the engine. Results agree up to
     * float rounding; only speed differs.
     */
    public void setDecoding(Decoding decoding) {
        this.decoding = Objects.requireNonNull(decoding, "decoding");
    }

    public Decoding decoding() {
        return decoding;
    }

    /** Decodes contiguous slices of the batch on parallel threads; rows keep their own generators. */
    private void runShards(BiConsumer<List<int[]>, Generator.Row[]> decoder, List<int[]> prompts,
                           Generator.Row[] rows, int shards) {
        List<Future<?>> futures = new ArrayList<>(shards);
        for (int s = 0; s < shards; s++) {
            int from = s * rows.length / shards;
            int to = (s + 1) * rows.length / shards;
            futures.add(pool().submit(() -> decoder.accept(prompts.subList(from, to),
                    Arrays.copyOfRange(rows, from, to))));
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            futures.forEach(f -> f.cancel(true));
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating", e);
        } catch (ExecutionException e) {
            futures.forEach(f -> f.cancel(true));
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("generation failed", e.getCause());
        }
    }

    private synchronized ExecutorService pool() {
        if (pool == null) {
            AtomicInteger count = new AtomicInteger();
            pool = Executors.newCachedThreadPool(task -> {
                Thread thread = new Thread(task, "densify-generate-" + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
        return pool;
    }

    /**
     * How many threads one {@link #generate} call may use (default 1). A batch is split into that many slices of
     * at least {@value #MIN_ROWS_PER_SHARD} rows, each decoded with its own KV cache on its own thread; results do
     * not depend on the split, because each row samples with its own generator. Every slice pays the per-step
     * engine overhead, so this only pays off with idle cores (see docs/benchmarks.md).
     */
    public void setGenerationThreads(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("generation threads must be positive, got " + threads);
        }
        this.generationThreads = threads;
    }

    /**
     * The training forward over a right-padded batch: log p(seq[i+1] | seq[0..i]) and the predictive entropy at
     * each position i < maxLength - 1, differentiable with respect to {@link #trainableParameters()} when called
     * inside a {@code GradientCollector}. The returned arrays belong to {@code manager}; every intermediate is
     * closed before returning (autograd keeps what backward needs).
     */
    public TokenScores score(NDManager manager, List<int[]> sequences) {
        Objects.requireNonNull(sequences, "sequences");
        return score(manager, sequences, new int[sequences.size()]);
    }

    /**
     * As {@link #score(NDManager, List)}, over the positions {@code from[b]} up to the end of each sequence only:
     * arrays [batch, width], where column j of row b scores {@code seq[from[b] + j + 1]} and width is the longest
     * such span. The final norm, the vocabulary projection and the softmax then run only where a caller reads them:
     * for an agent step (a prompt of a hundred tokens, an action of a few) they are almost all of their work saved.
     * The transformer still runs over every position, which the scored ones attend to.
     */
    public TokenScores score(NDManager manager, List<int[]> sequences, int[] from) {
        return score(manager, sequences, from, null);
    }

    /**
     * The training forward of an update: {@link #score(NDManager, List, int[])} with LoRA dropout. When the adapters
     * have a positive {@link LoraConfig#dropout()} p, each adapted projection computes
     * x W^T + (alpha / rank) * dropout(x) A^T B^T, inverted dropout (kept elements scaled by 1 / (1 - p)) on the
     * adapter's input alone, its masks drawn from {@code dropoutSeed} only, in forward order (layer by layer; q, k,
     * v, o, gate, up, down): equal seeds give equal masks. Without adapters or with p = 0 this is exactly
     * {@code score}, the adapters folded into the weights. Only an update should call it: sampling, reference and
     * evaluation passes use {@code score}, which never drops.
     */
    public TokenScores trainingScore(NDManager manager, List<int[]> sequences, int[] from, long dropoutSeed) {
        LoraConfig lora = parameters.lora();
        return score(manager, sequences, from, lora == null || lora.dropout() == 0 ? null
                : new AdapterDropout(lora.dropout(), dropoutSeed));
    }

    private TokenScores score(NDManager manager, List<int[]> sequences, int[] from, AdapterDropout dropout) {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(sequences, "sequences");
        Objects.requireNonNull(from, "from");
        int length = maxLength(sequences);
        int batch = sequences.size();
        if (from.length != batch) {
            throw new IllegalArgumentException("from needs one position per sequence: " + batch + ", got " + from.length);
        }
        int width = 0;
        for (int b = 0; b < batch; b++) {
            int n = sequences.get(b).length;
            if (from[b] < 0 || from[b] >= n) {
                throw new IllegalArgumentException("sequence " + b + " has " + n + " tokens: position " + from[b]
                        + " to score from is outside [0, " + (n - 1) + "]");
            }
            width = Math.max(width, n - 1 - from[b]);
        }
        if (width == 0) {
            throw new IllegalArgumentException("scoring needs a sequence of at least 2 tokens");
        }
        long[] rows = new long[batch * width];
        long[] targets = new long[batch * width];
        float[] mask = new float[batch * width];
        for (int b = 0; b < batch; b++) {
            int[] seq = sequences.get(b);
            for (int j = 0; j < width; j++) {
                int position = from[b] + j;
                boolean inside = position + 1 < seq.length;
                // Past a sequence's end the row repeats its first scored position: masked, and never out of range.
                rows[b * width + j] = (long) b * length + (inside ? position : from[b]);
                targets[b * width + j] = inside ? seq[position + 1] : 0;
                mask[b * width + j] = inside ? 1 : 0;
            }
        }
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Transformer.Packed w = Transformer.pack(parameters, false, dropout);
            NDArray hidden = fullForward(w, sequences, length).reshape(batch * (long) length, config.dim());
            NDArray scored = Transformer.embedTable(owned(manager.create(rows, new Shape(batch, width))), hidden);
            NDArray logProbs = Transformer.logits(w, scored).logSoftmax(-1);
            NDArray picked = logProbs.gather(owned(manager.create(targets, new Shape(batch, width, 1))), 2)
                    .reshape(batch, width);
            NDArray entropy = logProbs.exp().mul(logProbs).sum(new int[] {2}).neg();
            NDArray maskArray = manager.create(mask, new Shape(batch, width));
            return new TokenScores(keep(picked, manager), keep(entropy, manager), keep(maskArray, manager));
        }
    }

    private static NDArray keep(NDArray array, NDManager manager) {
        NDScope.unregister(array);
        array.attach(manager);
        return array;
    }

    /**
     * Critic features: the last layer's hidden state after the final RMSNorm at the final {@code lastTokens}
     * positions of each sequence, [sequence][token][dim], oldest first; shorter sequences are left-padded with
     * zero vectors. No gradients.
     */
    public float[][][] features(List<int[]> sequences, int lastTokens) {
        Objects.requireNonNull(sequences, "sequences");
        requirePositive(lastTokens);
        int length = maxLength(sequences);
        int dim = config.dim();
        float[] hidden;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Transformer.Packed w = Transformer.pack(parameters, true);
            hidden = Transformer.rmsNorm(w, fullForward(w, sequences, length))
                    .mul(parameters.effective(CanonicalNames.FINAL_NORM, true)).toFloatArray();
        }
        float[][][] out = new float[sequences.size()][lastTokens][dim];
        for (int b = 0; b < sequences.size(); b++) {
            copyLast(hidden, b * length, sequences.get(b).length, lastTokens, out[b]);
        }
        return out;
    }

    /**
     * The same features as {@link #features}, each sequence run through the model on its own, never padded into a
     * batch: a sequence's features are then a function of its tokens alone, whatever it is computed with. The
     * weights are prepared once for all of them (for a small model that preparation costs as much as a forward).
     */
    public float[][][] featuresOneByOne(List<int[]> sequences, int lastTokens) {
        Objects.requireNonNull(sequences, "sequences");
        requirePositive(lastTokens);
        maxLength(sequences);
        int dim = config.dim();
        float[][][] out = new float[sequences.size()][lastTokens][dim];
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Transformer.Packed w = Transformer.pack(parameters, true);
            NDArray gain = parameters.effective(CanonicalNames.FINAL_NORM, true);
            for (int b = 0; b < sequences.size(); b++) {
                int[] sequence = sequences.get(b);
                try (NDScope each = new NDScope()) {
                    each.suppressNotUsedWarning();
                    float[] hidden = Transformer.rmsNorm(w, fullForward(w, List.of(sequence), sequence.length))
                            .mul(gain).toFloatArray();
                    copyLast(hidden, 0, sequence.length, lastTokens, out[b]);
                }
            }
        }
        return out;
    }

    private static void requirePositive(int lastTokens) {
        if (lastTokens <= 0) {
            throw new IllegalArgumentException("lastTokens must be positive, got " + lastTokens);
        }
    }

    /** Copies the last {@code lastTokens} positions of one sequence's hidden states, left-padding with zeros. */
    private void copyLast(float[] hidden, int firstRow, int seqLength, int lastTokens, float[][] into) {
        int dim = config.dim();
        for (int k = 0; k < lastTokens; k++) {
            int position = seqLength - lastTokens + k;
            if (position >= 0) {
                System.arraycopy(hidden, (firstRow + position) * dim, into[k], 0, dim);
            }
        }
    }

    /**
     * The last layer's hidden states after the final RMSNorm for a right-padded batch, [batch, maxLength, dim]
     * (positions past a sequence's end hold padding states, for the caller to mask), differentiable with respect
     * to {@link #trainableParameters()} inside a {@code GradientCollector}: a text encoder fine-tunes through it.
     * The result belongs to {@code manager}; every intermediate is closed before returning.
     */
    public NDArray hiddenStates(NDManager manager, List<int[]> sequences) {
        Objects.requireNonNull(manager, "manager");
        int length = maxLength(Objects.requireNonNull(sequences, "sequences"));
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            Transformer.Packed w = Transformer.pack(parameters, !trainable);
            NDArray hidden = Transformer.rmsNorm(w, fullForward(w, sequences, length))
                    .mul(parameters.effective(CanonicalNames.FINAL_NORM, !trainable));
            return keep(hidden, manager);
        }
    }

    /** Causal forward of right-padded sequences, [B, length, dim] before the final norm. */
    /**
     * A copy whose memory PyTorch owns. Arrays made from Java data share a direct buffer that is freed when the
     * array is closed, yet autograd may keep the tensor for the backward pass (gather and embedding indices,
     * multiplication operands): closing it inside a scope would leave the backward pass reading freed memory.
     */
    public static NDArray owned(NDArray fromJava) {
        NDArray copy = fromJava.duplicate();
        fromJava.close();
        return copy;
    }

    private NDArray fullForward(Transformer.Packed w, List<int[]> sequences, int length) {
        NDManager manager = parameters.manager();
        int batch = sequences.size();
        long[] tokens = new long[batch * length];
        for (int b = 0; b < batch; b++) {
            int[] seq = sequences.get(b);
            for (int i = 0; i < seq.length; i++) {
                tokens[b * length + i] = seq[i];
            }
        }
        float[] causal = new float[length * length];
        for (int i = 0; i < length; i++) {
            Arrays.fill(causal, i * length + i + 1, (i + 1) * length, Transformer.MASKED);
        }
        NDArray rope = ropeTable.get(new NDIndex().addSliceDim(0, length)).reshape(length, 2, 1, config.headSize());
        return Transformer.forward(config, w, owned(manager.create(tokens, new Shape(batch, length))), rope,
                owned(manager.create(causal, new Shape(1, 1, 1, length, length))), null);
    }

    private int maxLength(List<int[]> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("at least one sequence is needed");
        }
        int length = 0;
        for (int b = 0; b < sequences.size(); b++) {
            int[] seq = Objects.requireNonNull(sequences.get(b), "sequence");
            checkSequence(seq, "sequence " + b);
            length = Math.max(length, seq.length);
        }
        return length;
    }

    private void checkSequence(int[] tokens, String what) {
        if (tokens.length == 0) {
            throw new IllegalArgumentException(what + " is empty; it needs at least one token (e.g. BOS)");
        }
        if (tokens.length > config.maxSeqLen()) {
            throw new IllegalArgumentException(what + " has " + tokens.length + " tokens, more than the context of "
                    + config.maxSeqLen());
        }
        for (int token : tokens) {
            if (token < 0 || token >= config.vocabSize()) {
                throw new IllegalArgumentException(what + " holds token id " + token + " outside the vocabulary [0, "
                        + config.vocabSize() + ")");
            }
        }
    }

    private static float[][] rows(float[] flat, int rows, int width) {
        float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = Arrays.copyOfRange(flat, r * width, (r + 1) * width);
        }
        return out;
    }

    /**
     * The arrays an optimizer should update, each with a gradient after backward: the LoRA adapters when the
     * model has them, otherwise every weight; empty when the model is not trainable.
     */
    public List<NDArray> trainableParameters() {
        return trainable ? parameters.updatable() : List.of();
    }

    /** Turns gradient tracking on or off (base weights stay frozen while LoRA adapters exist). */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable;
        parameters.setRequiresGradient(trainable);
    }

    public boolean isTrainable() {
        return trainable;
    }

    /** An independent copy of every weight (adapters included) that never tracks gradients: a reference policy. */
    public LlamaModel frozenCopy() {
        return new LlamaModel(tokenizer, parameters.copy(true), false);
    }

    /**
     * A new, independent model with this one's weights, frozen, and fresh trainable LoRA adapters. This model is
     * left unchanged.
     */
    public LlamaModel withLora(LoraConfig loraConfig) {
        Objects.requireNonNull(loraConfig, "loraConfig");
        if (parameters.hasLora()) {
            throw new IllegalStateException("this model already has LoRA adapters; merge them first (mergeLora)");
        }
        Parameters copy = parameters.copy(false);
        copy.addLora(loraConfig);
        return new LlamaModel(tokenizer, copy, true);
    }

    /** Folds the adapters into the base weights (W += alpha/rank * B A) and removes them. */
    public void mergeLora() {
        requireLora();
        parameters.mergeLora();
        setTrainable(trainable);
    }

    public Optional<LoraConfig> lora() {
        return Optional.ofNullable(parameters.lora());
    }

    /**
     * The adapters alone, named {@code <module>.lora_A.weight} [rank, in] and {@code <module>.lora_B.weight}
     * [out, rank] after the PEFT convention, e.g. {@code model.layers.0.self_attn.q_proj.lora_A.weight}.
     */
    public ModelWeights loraWeights() {
        requireLora();
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        parameters.adapterTensors().forEach((name, array) -> tensors.put(name, Parameters.toTensor(name, array)));
        return new ModelWeights(config, tensors, Optional.of(tokenizer));
    }

    private void requireLora() {
        if (!parameters.hasLora()) {
            throw new IllegalStateException("this model has no LoRA adapters (create them with withLora)");
        }
    }

    /**
     * Native arrays this model currently owns: its weights (and adapters) and the tables they use, constant across
     * inference and training calls; a count that grows with them is a leak.
     */
    public int liveArrays() {
        return parameters.manager().getManagedArrays().size();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        parameters.close();
    }
}

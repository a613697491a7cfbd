package dev.densify.rm.prime;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.densify.api.API;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.optim.AdamW;
import dev.densify.rm.shaper.SavedState;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * PRIME's implicit process reward (Cui et al. 2025; formulas.md "Implicit process reward (PRIME)"): a language model
 * pi_phi trained only on outcome labels, whose token log-ratio to a frozen reference pi_ref is a process reward.
 * Step t earns {@code r'_t = r_t + beta * sum over its action tokens y_i of log pi_phi(y_i | y_<i) - log pi_ref(y_i |
 * y_<i)}, each token conditioned on the step's exact prompt tokens; densify adds the outcome to the last step after
 * shaping.
 *
 * <p><b>Fitting.</b> Each {@link #fit} minimises, over mini-batches of {@code batch_episodes} episodes, the mean of
 * BCE(sigmoid(x_e), y_e) with the outcome logit x_e = beta * (sum over all the episode's action tokens of the
 * log-ratio) and y_e = 1 for a success. An episode's steps may not fit in one forward pass, so each update takes two:
 * the logits without gradients, then the gradient of sum_e w_e * x_e with w_e = (sigmoid(x_e) - y_e) / n, which is the
 * BCE's gradient exactly, accumulated over passes of {@code forward_batch} step sequences. Gradients are clipped to
 * {@code max_grad_norm} and AdamW (densify's, moments kept across fits) takes the step.
 *
 * <p><b>State.</b> The models are made at the first fit, pi_phi and pi_ref as two copies of the configured model;
 * before it pi_phi = pi_ref and every step's implicit reward is exactly 0, so nothing is computed. {@link #saveState()}
 * holds both models' weights and the optimizer's moments: a restored shaper shapes and fits exactly as the saved one.
 * A prompt and action longer than the model's context keep their last tokens.
 *
 * <p>Not thread-safe. Fitting opens a DJL gradient collector, of which the PyTorch engine allows one at a time: do not
 * fit while the policy's learner is collecting gradients.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ImplicitPrmShaper implements LearnedShaper {
    private static final int STATE_MAGIC = 0x49505231; // "IPR1"
    private static final int STATE_VERSION = 1;
    static final String NAME = "implicit-prm";

    private final ImplicitPrmShaperConfig config;
    private final LongFunction<LlamaModel> initialModel;
    /** pi_phi, trained; null until the first fit. */
    private LlamaModel policy;
    /** pi_ref, frozen; null until the first fit. */
    private LlamaModel reference;
    private AdamW optimizer;
    private boolean closed;

    /**
     * @param initialModel the model pi_phi and pi_ref start from, given the first fit's seed; called at most once per
     *     fresh start (and once per restore, whose weights then replace its own)
     */
    ImplicitPrmShaper(ImplicitPrmShaperConfig config, LongFunction<LlamaModel> initialModel) {
        this.config = Objects.requireNonNull(config, "config");
        this.initialModel = Objects.requireNonNull(initialModel, "initialModel");
    }

    /** A step's tokens as scored: log-probs of the tokens at positions [from, sequence.length) count. */
    private record Scored(int[] sequence, int from) {}

    /** One episode as fitted: its scored steps and its label. */
    private record Labelled(List<Scored> steps, double label) {}

    @Override
    public double[] shape(ShapingInput episode) {
        Objects.requireNonNull(episode, "episode");
        requireOpen();
        double[] rewards = episode.stepRewards().clone();
        if (rewards.length == 0) {
            return rewards;
        }
        List<Step> steps = requireSteps(episode);
        if (policy == null) {
            return rewards;
        }
        List<Scored> scored = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        for (int t = 0; t < steps.size(); t++) {
            Optional<Scored> s = scored(steps.get(t));
            if (s.isPresent()) {
                scored.add(s.get());
                at.add(t);
            }
        }
        if (scored.isEmpty()) {
            return rewards;
        }
        checkVocabulary(List.of(new Labelled(scored, 0)));
        double[] ratios = logRatios(scored);
        for (int k = 0; k < ratios.length; k++) {
            rewards[at.get(k)] += config.beta() * ratios[k];
        }
        return rewards;
    }

    @Override
    public Fit fit(List<ShapingInput> episodes, long seed) {
        Objects.requireNonNull(episodes, "episodes");
        requireOpen();
        boolean anyTokens = false;
        for (ShapingInput e : episodes) {
            if (e.length() > 0) {
                anyTokens |= requireSteps(e).stream().anyMatch(s -> s.actionTokenIds().length > 0);
            }
        }
        if (!anyTokens) {
            return Fit.none();
        }
        if (policy == null) {
            initialise(seed);
        }
        List<Labelled> data = new ArrayList<>();
        for (ShapingInput e : episodes) {
            List<Scored> steps = new ArrayList<>();
            e.steps().forEach(s -> scored(s).ifPresent(steps::add));
            // an episode without scored tokens has the constant logit 0: nothing to learn from it
            if (!steps.isEmpty()) {
                data.add(new Labelled(steps, e.outcome().success() ? 1 : 0));
            }
        }
        if (data.isEmpty()) {
            return Fit.none();
        }
        checkVocabulary(data);
        Random random = new Random(seed);
        double lossSum = 0;
        int updates = 0;
        for (int epoch = 0; epoch < config.epochs(); epoch++) {
            List<Labelled> order = new ArrayList<>(data);
            Collections.shuffle(order, random);
            for (int from = 0; from < order.size(); from += config.batchEpisodes()) {
                List<Labelled> batch = order.subList(from, Math.min(order.size(), from + config.batchEpisodes()));
                double loss = update(batch);
                if (epoch == 0) {
                    lossSum += loss * batch.size();
                }
                updates++;
            }
        }
        return new Fit(data.size(), updates, lossSum / data.size());
    }

    /** One AdamW step on the batch's mean BCE; returns that loss as it was before the step. */
    private double update(List<Labelled> batch) {
        List<Scored> sequences = new ArrayList<>();
        List<Integer> episodeOf = new ArrayList<>();
        for (int e = 0; e < batch.size(); e++) {
            for (Scored s : batch.get(e).steps()) {
                sequences.add(s);
                episodeOf.add(e);
            }
        }
        double[] ratios = logRatios(sequences);
        double[] logits = new double[batch.size()];
        for (int k = 0; k < ratios.length; k++) {
            logits[episodeOf.get(k)] += config.beta() * ratios[k];
        }
        double loss = 0;
        double[] weights = new double[batch.size()];
        for (int e = 0; e < batch.size(); e++) {
            double y = batch.get(e).label();
            loss += OutcomeLoss.loss(logits[e], y) / batch.size();
            // d mean(BCE) / d ratio_s = (sigmoid(x_e) - y_e) / n * beta for every step s of episode e
            weights[e] = OutcomeLoss.gradient(logits[e], y) / batch.size() * config.beta();
        }
        List<NDArray> parameters = policy.trainableParameters();
        optimizer.zeroGradients(parameters);
        for (int from = 0; from < sequences.size(); from += config.forwardBatch()) {
            int to = Math.min(sequences.size(), from + config.forwardBatch());
            float[] w = new float[to - from];
            for (int k = from; k < to; k++) {
                w[k - from] = (float) weights[episodeOf.get(k)];
            }
            try (NDManager manager = NDManager.newBaseManager();
                 GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray perStep = logRatios(manager, sequences.subList(from, to));
                NDArray surrogate = perStep.mul(LlamaModel.owned(manager.create(w))).sum();
                collector.backward(surrogate);
            }
        }
        double norm = optimizer.clipGradNorm(parameters, config.maxGradNorm());
        if (!Double.isFinite(norm)) {
            optimizer.zeroGradients(parameters);
            throw new IllegalStateException(NAME + ": the gradient norm of pi_phi's update is " + norm
                    + "; lower shaper.lr (now " + config.lr() + ")");
        }
        optimizer.step(parameters);
        optimizer.zeroGradients(parameters);
        return loss;
    }

    /** Per sequence, the sum over its scored tokens of log pi_phi - log pi_ref, without gradients. */
    private double[] logRatios(List<Scored> sequences) {
        double[] out = new double[sequences.size()];
        for (int from = 0; from < sequences.size(); from += config.forwardBatch()) {
            int to = Math.min(sequences.size(), from + config.forwardBatch());
            try (NDManager manager = NDManager.newBaseManager()) {
                float[] sums = logRatios(manager, sequences.subList(from, to)).toFloatArray();
                for (int k = from; k < to; k++) {
                    out[k] = sums[k - from];
                }
            }
        }
        return out;
    }

    /**
     * [sequences] of summed token log-ratios, differentiable with respect to pi_phi inside a gradient collector; the
     * difference is taken per token before summing, so that two close sums do not lose it to rounding. Only the action
     * tokens' positions go through the vocabulary projection.
     */
    private NDArray logRatios(NDManager manager, List<Scored> sequences) {
        List<int[]> tokens = sequences.stream().map(Scored::sequence).toList();
        int[] from = new int[sequences.size()];
        int width = 0;
        for (int b = 0; b < from.length; b++) {
            // the first scored token, at s.from(), is predicted at position s.from() - 1
            from[b] = sequences.get(b).from() - 1;
            width = Math.max(width, tokens.get(b).length - 1 - from[b]);
        }
        float[] mask = new float[sequences.size() * width];
        for (int b = 0; b < from.length; b++) {
            Arrays.fill(mask, b * width, b * width + tokens.get(b).length - 1 - from[b], 1f);
        }
        NDArray phi = policy.score(manager, tokens, from).logProbs();
        NDArray ref = reference.score(manager, tokens, from).logProbs().stopGradient();
        // PyTorch-owned: autograd keeps the operands of a product for the backward pass
        NDArray maskArray = LlamaModel.owned(manager.create(mask, new Shape(sequences.size(), width)));
        return phi.sub(ref).mul(maskArray).sum(new int[] {1});
    }

    /**
     * The step's prompt and action tokens within the model's context (there must be a model); empty when no action
     * token can be scored.
     */
    private Optional<Scored> scored(Step step) {
        int[] prompt = step.promptTokenIds();
        int[] action = step.actionTokenIds();
        if (action.length == 0) {
            return Optional.empty();
        }
        int[] sequence = Arrays.copyOf(prompt, prompt.length + action.length);
        System.arraycopy(action, 0, sequence, prompt.length, action.length);
        int promptLength = prompt.length;
        int context = policy.config().maxSeqLen();
        if (sequence.length > context) {
            int drop = sequence.length - context;
            sequence = Arrays.copyOfRange(sequence, drop, sequence.length);
            promptLength = Math.max(0, promptLength - drop);
        }
        // the first token has no context to be predicted from
        int from = Math.max(1, promptLength);
        return from < sequence.length ? Optional.of(new Scored(sequence, from)) : Optional.empty();
    }

    private void checkVocabulary(List<Labelled> data) {
        int vocabulary = policy.config().vocabSize();
        for (Labelled e : data) {
            for (Scored s : e.steps()) {
                for (int token : s.sequence()) {
                    if (token < 0 || token >= vocabulary) {
                        throw new IllegalArgumentException(NAME + ": a step holds token id " + token + " but the"
                                + " shaper's model has a vocabulary of " + vocabulary + " tokens; it must be the"
                                + " policy's (set shaper.model to the policy's checkpoint, or to a preset for a"
                                + " preset policy with the byte-level tokenizer)");
                    }
                }
            }
        }
    }

    private static List<Step> requireSteps(ShapingInput episode) {
        if (episode.steps().isEmpty()) {
            throw new IllegalArgumentException(NAME + " reads the steps' prompt and action tokens, but the episode came"
                    + " without its steps");
        }
        return episode.steps();
    }

    private void initialise(long seed) {
        LlamaModel initial = Objects.requireNonNull(initialModel.apply(seed), "initial model");
        reference = initial.frozenCopy();
        policy = initial;
        policy.setTrainable(true);
        optimizer = AdamW.of(config.lr(), config.weightDecay());
    }

    /** Whether a fit has made the models (before it, every implicit reward is 0). */
    boolean fitted() {
        return policy != null;
    }

    @Override
    public byte[] saveState() {
        requireOpen();
        return SavedState.write(STATE_MAGIC, STATE_VERSION, out -> {
            out.writeBoolean(policy != null);
            if (policy != null) {
                writeWeights(out, policy.toWeights());
                writeWeights(out, reference.toWeights());
                byte[] moments = optimizer.saveState();
                out.writeInt(moments.length);
                out.write(moments);
            }
        });
    }

    /** A saved state as read, applied only once all of it has been read. */
    private record Saved(Map<String, WeightTensor> phi, Map<String, WeightTensor> ref, byte[] moments) {}

    @Override
    public void restoreState(byte[] state) {
        Objects.requireNonNull(state, "state");
        requireOpen();
        Saved[] saved = new Saved[1];
        SavedState.read(state, STATE_MAGIC, STATE_VERSION, "the " + NAME + " shaper", in -> {
            if (in.readBoolean()) {
                saved[0] = new Saved(readWeights(in), readWeights(in), in.readNBytes(in.readInt()));
            }
        });
        if (saved[0] == null) {
            closeModels();
            return;
        }
        if (policy == null) {
            initialise(0);
        }
        try {
            policy.restore(new ModelWeights(policy.config(), saved[0].phi(), Optional.empty()));
            reference.restore(new ModelWeights(reference.config(), saved[0].ref(), Optional.empty()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the saved state of the " + NAME + " shaper does not fit its"
                    + " configured shaper.model: " + e.getMessage(), e);
        }
        optimizer.restoreState(saved[0].moments());
    }

    /** The tensors sorted by name: a model's own order may differ between processes, its saved state may not. */
    private static void writeWeights(DataOutputStream out, ModelWeights weights) throws IOException {
        out.writeInt(weights.tensors().size());
        for (WeightTensor t : new TreeMap<>(weights.tensors()).values()) {
            out.writeUTF(t.name());
            out.writeInt(t.shape().length);
            for (long d : t.shape()) {
                out.writeLong(d);
            }
            for (float v : t.data()) {
                out.writeFloat(v);
            }
        }
    }

    private static Map<String, WeightTensor> readWeights(DataInputStream in) throws IOException {
        int count = in.readInt();
        Map<String, WeightTensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            long[] shape = new long[in.readInt()];
            long size = 1;
            for (int d = 0; d < shape.length; d++) {
                shape[d] = in.readLong();
                size *= shape[d];
            }
            float[] data = new float[Math.toIntExact(size)];
            for (int k = 0; k < data.length; k++) {
                data[k] = in.readFloat();
            }
            tensors.put(name, new WeightTensor(name, shape, data));
        }
        return tensors;
    }

    private void closeModels() {
        if (policy != null) {
            policy.close();
            reference.close();
            optimizer.close();
        }
        policy = null;
        reference = null;
        optimizer = null;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the " + NAME + " shaper is closed");
        }
    }

    @Override
    public void close() {
        closeModels();
        closed = true;
    }
}

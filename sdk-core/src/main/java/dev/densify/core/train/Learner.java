package dev.densify.core.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.densify.api.API;
import dev.densify.api.algo.LossInputs;
import dev.densify.api.algo.PolicyLoss;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.TokenScores;
import dev.densify.core.optim.AdamW;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Updates the policy from scored steps: mini-batches over several epochs, the algorithm's loss on the policy's
 * fresh log-probs of the stored action tokens, backward, gradient clipping and AdamW. A non-finite loss or
 * gradient skips that update with a logged reason instead of corrupting the weights.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Learner {
    private static final Logger LOG = LoggerFactory.getLogger(Learner.class);
    /** A stream of the update's seed of its own for the adapters' dropout masks, apart from the shuffle's. */
    private static final long DROPOUT_STREAM = 0x5EED_0004L;

    private final LlamaModel policy;
    private final Optional<LlamaModel> reference;
    private final AdamW optimizer;
    private final int epochs;
    private final int miniBatch;
    private final double maxGradNorm;

    public Learner(LlamaModel policy, Optional<LlamaModel> reference, AdamW optimizer, int epochs, int miniBatch,
                   double maxGradNorm) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.reference = Objects.requireNonNull(reference, "reference");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.epochs = epochs;
        this.miniBatch = miniBatch;
        this.maxGradNorm = maxGradNorm;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    /**
     * One step's tokens as trained on: the stored prompt and action ids, never re-tokenised; the reference's
     * log-probs of its action tokens when the loss has a KL term, else null.
     */
    record Sample(int[] sequence, int promptLength, float[] oldLogProbs, double advantage, float[] reference) {
        float oldLogProbsAt(int actionToken) {
            return oldLogProbs[actionToken];
        }

        Sample withReference(float[] logProbs) {
            return new Sample(sequence, promptLength, oldLogProbs, advantage, logProbs);
        }
    }

    /** Policy-gradient update over all steps of the trajectories with their step advantages. */
    public Stats update(PolicyOptimizer algorithm, List<Trajectory> trajectories, List<StepAdvantages> advantages,
                        long seed) {
        return update(algorithm, trajectories, advantages, seed, new PhaseTimes());
    }

    /**
     * As above, adding the time of its forward, backward and optimizer parts to {@code times}; the reference's
     * log-probs, when the algorithm needs them, are scored here first ({@link #referenceLogProbs}).
     */
    public Stats update(PolicyOptimizer algorithm, List<Trajectory> trajectories, List<StepAdvantages> advantages,
                        long seed, PhaseTimes times) {
        return update(algorithm, trajectories, advantages,
                algorithm.usesReference() ? referenceLogProbs(trajectories, seed) : null, seed, times);
    }

    /**
     * The update with the reference's log-probs already scored by {@link #referenceLogProbs} with the same
     * trajectories and seed (null when the algorithm has no KL term), so that a caller can time that pass apart.
     */
    public Stats update(PolicyOptimizer algorithm, List<Trajectory> trajectories, List<StepAdvantages> advantages,
                        float[][] referenceLogProbs, long seed, PhaseTimes times) {
        List<Sample> samples = samples(trajectories, advantages);
        if (algorithm.usesReference()) {
            if (referenceLogProbs == null || referenceLogProbs.length != samples.size()) {
                throw new IllegalArgumentException("the algorithm's KL term needs the reference's log-probs of "
                        + samples.size() + " steps, got " + (referenceLogProbs == null ? "none"
                        : String.valueOf(referenceLogProbs.length)));
            }
            for (int i = 0; i < samples.size(); i++) {
                samples.set(i, samples.get(i).withReference(referenceLogProbs[i]));
            }
        }
        return train(samples, seed, times, (manager, batch, scores, mask) -> {
            NDArray old = tokenArray(manager, batch, (s, j) -> s.oldLogProbsAt(j));
            NDArray adv = tokenArray(manager, batch, (s, j) -> (float) s.advantage());
            Optional<NDArray> ref = algorithm.usesReference()
                    ? Optional.of(tokenArray(manager, batch, (s, j) -> s.reference()[j])) : Optional.empty();
            return algorithm.loss(new LossInputs(scores.logProbs(), old, ref, adv, mask));
        });
    }

    /**
     * The reference policy's log-probs of every stored action token, one array per step with action tokens (in
     * trajectory order), scored without gradients in the mini-batches the first epoch of {@link #update} draws with
     * the same seed: the reference never changes, so one pass serves every epoch, and in the first epoch the numbers
     * are exactly those a forward inside each mini-batch would give (the same rows padded alike).
     */
    public float[][] referenceLogProbs(List<Trajectory> trajectories, long seed) {
        LlamaModel r = reference.orElseThrow(() -> new IllegalStateException(
                "the algorithm needs a reference policy and none was given"));
        List<Sample> samples = samples(trajectories, null);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            order.add(i);
        }
        // the permutation train() draws for its first epoch from the same seed
        Collections.shuffle(order, new Random(seed));
        return actionLogProbs(r, samples, order);
    }

    /**
     * {@code model}'s log-probs of each sample's action tokens, without gradients, scoring the samples in
     * mini-batches taken in {@code order}; the result is indexed like {@code samples}.
     */
    private float[][] actionLogProbs(LlamaModel model, List<Sample> samples, List<Integer> order) {
        float[][] out = new float[samples.size()][];
        for (int from = 0; from < order.size(); from += miniBatch) {
            List<Integer> indices = order.subList(from, Math.min(order.size(), from + miniBatch));
            List<Sample> batch = indices.stream().map(samples::get).toList();
            try (NDManager manager = NDManager.newBaseManager()) {
                int width = shape(batch)[1];
                float[] logProbs = model.score(manager, sequences(batch), scoredFrom(batch)).logProbs().toFloatArray();
                for (int b = 0; b < batch.size(); b++) {
                    Sample s = batch.get(b);
                    out[indices.get(b)] = java.util.Arrays.copyOfRange(logProbs, b * width,
                            b * width + s.sequence().length - s.promptLength());
                }
            }
        }
        return out;
    }

    /**
     * Mean per-token KL(pi || pi_ref) of the batch's action tokens under the policy that sampled them, with the
     * k3 estimator exp(ref - logp) - (ref - logp) - 1 (unbiased, never negative). NaN without a reference.
     */
    public double referenceKl(List<Trajectory> trajectories) {
        if (reference.isEmpty()) {
            return Double.NaN;
        }
        List<Sample> samples = samples(trajectories, null);
        double sum = 0;
        long count = 0;
        for (int from = 0; from < samples.size(); from += miniBatch) {
            List<Sample> batch = samples.subList(from, Math.min(samples.size(), from + miniBatch));
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray ref = reference.get().score(manager, sequences(batch), scoredFrom(batch)).logProbs();
                NDArray old = tokenArray(manager, batch, (s, j) -> s.oldLogProbsAt(j));
                NDArray mask = tokenArray(manager, batch, (s, j) -> 1f);
                NDArray diff = ref.sub(old).mul(mask);
                NDArray k3 = diff.exp().sub(diff).sub(1).mul(mask);
                sum += k3.sum().getFloat();
                count += (long) mask.sum().getFloat();
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * The policy's log-probabilities of every stored action token, step by step (steps without action tokens get
     * an empty array), from the same training forward over the same padded mini-batches as {@link #update}, without
     * gradients: what an update sees as the new log-probs before it changes the weights.
     */
    public List<float[]> actionLogProbs(List<Trajectory> trajectories) {
        List<Sample> samples = samples(trajectories, null);
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            inOrder.add(i);
        }
        float[][] scored = actionLogProbs(policy, samples, inOrder);
        List<float[]> out = new ArrayList<>();
        int next = 0;
        for (Trajectory t : trajectories) {
            for (Step s : t.steps()) {
                out.add(s.actionTokenIds().length > 0 ? scored[next++] : new float[0]);
            }
        }
        return out;
    }

    private static List<Sample> samples(List<Trajectory> trajectories, List<StepAdvantages> advantages) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            List<Step> steps = trajectories.get(i).steps();
            for (int t = 0; t < steps.size(); t++) {
                Step s = steps.get(t);
                if (s.actionTokenIds().length > 0) {
                    double advantage = advantages == null ? 0 : advantages.get(i).advantages()[t];
                    samples.add(new Sample(concat(s.promptTokenIds(), s.actionTokenIds()), s.promptTokenIds().length,
                            s.actionLogProbs(), advantage, null));
                }
            }
        }
        return samples;
    }

    /** Supervised warm start: maximise the log-likelihood of expert completions after their prompts. */
    public Stats supervise(List<int[]> prompts, List<int[]> completions, long seed) {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            int[] completion = completions.get(i);
            samples.add(new Sample(concat(prompts.get(i), completion), prompts.get(i).length,
                    new float[completion.length], 0, null));
        }
        return train(samples, seed, new PhaseTimes(), (manager, batch, scores, mask) -> {
            NDArray nll = scores.logProbs().mul(mask).sum().neg().div(mask.sum().maximum(1f));
            return new PolicyLoss(nll, Map.of());
        });
    }

    @FunctionalInterface
    private interface LossFunction {
        PolicyLoss loss(NDManager manager, List<Sample> batch, TokenScores scores, NDArray mask);
    }

    private Stats train(List<Sample> samples, long seed, PhaseTimes times, LossFunction lossFunction) {
        Random random = new Random(seed);
        SplittableRandom dropout = new SplittableRandom(seed ^ DROPOUT_STREAM);
        Map<String, Double> sums = new HashMap<>();
        int updates = 0;
        int skipped = 0;
        long tokens = 0;
        long start = System.nanoTime();
        for (int epoch = 0; epoch < epochs; epoch++) {
            List<Sample> order = new ArrayList<>(samples);
            Collections.shuffle(order, random);
            for (int from = 0; from < order.size(); from += miniBatch) {
                List<Sample> batch = order.subList(from, Math.min(order.size(), from + miniBatch));
                try (NDManager manager = NDManager.newBaseManager();
                     GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    long forward = System.nanoTime();
                    TokenScores scores = policy.trainingScore(manager, sequences(batch), scoredFrom(batch),
                            dropout.nextLong());
                    NDArray mask = tokenArray(manager, batch, (s, j) -> 1f);
                    PolicyLoss loss = lossFunction.loss(manager, batch, scores, mask);
                    float value = loss.loss().getFloat();
                    times.add(PhaseTimes.Phase.FORWARD, System.nanoTime() - forward);
                    if (!Float.isFinite(value)) {
                        skipped++;
                        LOG.warn("skipped an update: the loss is {}", value);
                        optimizer.zeroGradients(policy.trainableParameters());
                        continue;
                    }
                    long backward = System.nanoTime();
                    collector.backward(loss.loss());
                    times.add(PhaseTimes.Phase.BACKWARD, System.nanoTime() - backward);
                    float entropy = scores.entropy().mul(mask).sum().div(mask.sum().maximum(1f)).getFloat();
                    sums.merge("entropy", (double) entropy, Double::sum);
                    sums.merge("loss", (double) value, Double::sum);
                    for (var d : loss.diagnostics().entrySet()) {
                        sums.merge(d.getKey(), (double) d.getValue().getFloat(), Double::sum);
                    }
                }
                long stepping = System.nanoTime();
                List<NDArray> parameters = policy.trainableParameters();
                double norm = optimizer.clipGradNorm(parameters, maxGradNorm);
                if (!Double.isFinite(norm)) {
                    skipped++;
                    LOG.warn("skipped an update: the gradient norm is {}", norm);
                    optimizer.zeroGradients(parameters);
                    continue;
                }
                sums.merge("grad_norm", norm, Double::sum);
                optimizer.step(parameters);
                optimizer.zeroGradients(parameters);
                times.add(PhaseTimes.Phase.OPTIMIZER, System.nanoTime() - stepping);
                updates++;
                for (Sample s : batch) {
                    tokens += s.sequence().length;
                }
            }
        }
        Map<String, Double> means = new HashMap<>();
        for (var e : sums.entrySet()) {
            means.put(e.getKey(), updates == 0 ? Double.NaN : e.getValue() / updates);
        }
        return new Stats(updates, skipped, tokens, (System.nanoTime() - start) / 1e9, means);
    }

    /** What an update did: counts, trained tokens, seconds and the mean of each diagnostic over updates. */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public record Stats(int updates, int skipped, long tokens, double seconds, Map<String, Double> means) {
        public Stats {
            means = Map.copyOf(means);
        }

        public double mean(String name) {
            return means.getOrDefault(name, Double.NaN);
        }
    }

    private static List<int[]> sequences(List<Sample> batch) {
        return batch.stream().map(Sample::sequence).toList();
    }

    /** Where each sample's scoring starts: the prompt's last position predicts the first action token. */
    private static int[] scoredFrom(List<Sample> batch) {
        return batch.stream().mapToInt(s -> s.promptLength() - 1).toArray();
    }

    /** The scores' shape: [batch, the longest action], as {@link LlamaModel#score(NDManager, List, int[])} gives. */
    private static int[] shape(List<Sample> batch) {
        int longest = batch.stream().mapToInt(s -> s.sequence().length - s.promptLength()).max().orElse(1);
        return new int[] {batch.size(), Math.max(1, longest)};
    }

    @FunctionalInterface
    private interface TokenValue {
        float at(Sample sample, int actionToken);
    }

    /** A [batch, action tokens] array with {@code value} at each action token, 0 past a sample's end. */
    private static NDArray tokenArray(NDManager manager, List<Sample> batch, TokenValue value) {
        int[] shape = shape(batch);
        float[] out = new float[shape[0] * shape[1]];
        for (int b = 0; b < batch.size(); b++) {
            Sample s = batch.get(b);
            int actionTokens = s.sequence().length - s.promptLength();
            for (int j = 0; j < actionTokens; j++) {
                out[b * shape[1] + j] = value.at(s, j);
            }
        }
        return manager.create(out, new Shape(shape[0], shape[1]));
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

package dev.densify.rm.spa;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.densify.api.API;
import dev.densify.api.env.Signals;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.optim.AdamW;
import dev.densify.rm.encoder.HashingTextEncoder;
import dev.densify.rm.shaper.SavedState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * SPA-RL's stepwise progress attribution (Wang et al. 2025; formulas.md "Progress attribution (SPA-RL)"): a progress
 * estimator gives each step a contribution c_t, trained so that an episode's contributions sum to its outcome
 * reward, {@code MSE(sum_t c_t, R_final)}; step t earns {@code r'_t = r_t + c_t + g_t}, where the grounding bonus
 * g_t = {@code grounding_bonus} when the environment's {@link Signals} report the step's action valid (no invalid
 * action), 0 otherwise. densify adds the outcome to the last step after shaping.
 *
 * <p>The estimator is an MLP ({@link ProgressEstimator}) over hashed word and character 3-gram features
 * ({@link HashingTextEncoder}) of the step's observation and of its action, side by side. Each {@link #fit}
 * continues from the current weights over {@code epochs} shuffled passes of {@code batch_episodes}-episode
 * mini-batches, AdamW (densify's, moments kept across fits) with gradient clipping. The first fit initialises the
 * weights from its seed, the output layer at 0: before it, every contribution is 0. {@link #saveState()} holds the
 * weights and the optimizer's moments, so a restored shaper shapes and fits exactly as the saved one.
 *
 * <p>Not thread-safe. Fitting opens a DJL gradient collector, of which the PyTorch engine allows one at a time: do not
 * fit while the policy's learner is collecting gradients.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class SpaProgressShaper implements LearnedShaper {
    private static final int STATE_MAGIC = 0x53504131; // "SPA1"
    private static final int STATE_VERSION = 1;
    static final String NAME = "spa-progress";

    private final SpaProgressShaperConfig config;
    private final HashingTextEncoder encoder;
    /** Null until the first fit. */
    private ProgressEstimator estimator;
    private AdamW optimizer;
    private boolean closed;

    SpaProgressShaper(SpaProgressShaperConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.encoder = new HashingTextEncoder(config.features());
    }

    @Override
    public double[] shape(ShapingInput episode) {
        Objects.requireNonNull(episode, "episode");
        requireOpen();
        double[] rewards = episode.stepRewards().clone();
        if (rewards.length == 0) {
            return rewards;
        }
        double[] contributions = contributions(episode);
        double[] grounding = grounding(episode);
        for (int t = 0; t < rewards.length; t++) {
            rewards[t] += contributions[t] + grounding[t];
        }
        return rewards;
    }

    /** c_0..c_{T-1}: the estimator's contribution of each step (all 0 before the first fit). */
    double[] contributions(ShapingInput episode) {
        double[] out = new double[episode.length()];
        if (estimator == null || out.length == 0) {
            return out;
        }
        float[] c = estimator.predict(features(requireSteps(episode)));
        for (int t = 0; t < out.length; t++) {
            out[t] = c[t];
        }
        return out;
    }

    private double[] grounding(ShapingInput episode) {
        double[] out = new double[episode.length()];
        if (config.groundingBonus() == 0) {
            return out;
        }
        boolean reported = false;
        List<Step> steps = requireSteps(episode);
        for (int t = 0; t < out.length; t++) {
            Map<String, String> info = steps.get(t).info();
            boolean signals = info.containsKey(Signals.PROGRESS) || info.containsKey(Signals.INVALID_ACTION)
                    || info.containsKey(Signals.INVALID_STATE);
            reported |= signals;
            if (signals && !Signals.invalidAction(info)) {
                out[t] = config.groundingBonus();
            }
        }
        if (!reported) {
            throw new IllegalArgumentException(NAME + ": grounding_bonus is " + config.groundingBonus() + " but no"
                    + " step of the episode reports signals (" + Signals.PROGRESS + ", " + Signals.INVALID_ACTION
                    + ") in its info, so valid actions cannot be told apart; set shaper.grounding_bonus=0");
        }
        return out;
    }

    @Override
    public Fit fit(List<ShapingInput> episodes, long seed) {
        Objects.requireNonNull(episodes, "episodes");
        requireOpen();
        List<float[][]> features = new ArrayList<>();
        List<Double> targets = new ArrayList<>();
        for (ShapingInput e : episodes) {
            if (e.length() > 0) {
                features.add(features(requireSteps(e)));
                targets.add(e.outcome().reward());
            }
        }
        if (features.isEmpty()) {
            return Fit.none();
        }
        Random random = new Random(seed);
        if (estimator == null) {
            estimator = ProgressEstimator.initialise(2 * config.features(), config.hidden(), random);
            optimizer = AdamW.of(config.lr(), config.weightDecay());
        }
        Integer[] order = new Integer[features.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double lossSum = 0;
        int updates = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> parameters = estimator.arrays(manager, true);
            for (int epoch = 0; epoch < config.epochs(); epoch++) {
                List<Integer> shuffled = new ArrayList<>(List.of(order));
                Collections.shuffle(shuffled, random);
                for (int from = 0; from < shuffled.size(); from += config.batchEpisodes()) {
                    List<Integer> batch = shuffled.subList(from, Math.min(shuffled.size(), from + config.batchEpisodes()));
                    double loss = update(manager, parameters, batch, features, targets);
                    if (epoch == 0) {
                        lossSum += loss * batch.size();
                    }
                    updates++;
                }
            }
            for (int i = 0; i < parameters.size(); i++) {
                estimator.weights[i] = parameters.get(i).toFloatArray();
            }
        }
        return new Fit(features.size(), updates, lossSum / features.size());
    }

    /** One AdamW step on the batch's mean (sum_t c_t - R)^2; returns that loss as it was before the step. */
    private double update(NDManager manager, List<NDArray> parameters, List<Integer> batch, List<float[][]> features,
                          List<Double> targets) {
        List<float[]> rows = new ArrayList<>();
        float[] outcomes = new float[batch.size()];
        List<int[]> spans = new ArrayList<>();
        for (int e = 0; e < batch.size(); e++) {
            float[][] steps = features.get(batch.get(e));
            spans.add(new int[] {rows.size(), rows.size() + steps.length});
            rows.addAll(List.of(steps));
            outcomes[e] = targets.get(batch.get(e)).floatValue();
        }
        // episode e's sum of contributions is row e of membership [episodes, steps] times c
        float[] membership = new float[batch.size() * rows.size()];
        for (int e = 0; e < batch.size(); e++) {
            for (int s = spans.get(e)[0]; s < spans.get(e)[1]; s++) {
                membership[e * rows.size() + s] = 1;
            }
        }
        float value;
        try (NDManager step = manager.newSubManager();
             GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray x = ProgressEstimator.matrix(step, rows.toArray(float[][]::new));
            NDArray c = ProgressEstimator.forward(parameters, x);
            NDArray members = LlamaModel.owned(step.create(membership, new Shape(batch.size(), rows.size())));
            NDArray sums = members.matMul(c.reshape(rows.size(), 1)).reshape(-1);
            NDArray loss = sums.sub(LlamaModel.owned(step.create(outcomes))).square().mean();
            value = loss.getFloat();
            if (!Float.isFinite(value)) {
                throw new IllegalStateException(NAME + ": the estimator's loss is " + value + "; lower shaper.lr (now "
                        + config.lr() + ")");
            }
            collector.backward(loss);
        }
        optimizer.clipGradNorm(parameters, config.maxGradNorm());
        optimizer.step(parameters);
        optimizer.zeroGradients(parameters);
        return value;
    }

    /** Per step, the hashed features of its observation and of its action, side by side. */
    private float[][] features(List<Step> steps) {
        List<String> texts = new ArrayList<>(2 * steps.size());
        for (Step s : steps) {
            texts.add(s.observation());
            texts.add(s.action());
        }
        float[][] encoded = encoder.encode(texts);
        float[][] out = new float[steps.size()][2 * config.features()];
        for (int t = 0; t < steps.size(); t++) {
            System.arraycopy(encoded[2 * t], 0, out[t], 0, config.features());
            System.arraycopy(encoded[2 * t + 1], 0, out[t], config.features(), config.features());
        }
        return out;
    }

    private static List<Step> requireSteps(ShapingInput episode) {
        if (episode.steps().isEmpty()) {
            throw new IllegalArgumentException(NAME + " reads the steps' observations, actions and signals, but the"
                    + " episode came without its steps");
        }
        return episode.steps();
    }

    @Override
    public byte[] saveState() {
        requireOpen();
        return SavedState.write(STATE_MAGIC, STATE_VERSION, out -> {
            out.writeBoolean(estimator != null);
            if (estimator != null) {
                out.writeInt(estimator.input);
                out.writeInt(estimator.hidden);
                for (float[] w : estimator.weights) {
                    out.writeInt(w.length);
                    for (float v : w) {
                        out.writeFloat(v);
                    }
                }
                byte[] moments = optimizer.saveState();
                out.writeInt(moments.length);
                out.write(moments);
            }
        });
    }

    @Override
    public void restoreState(byte[] state) {
        Objects.requireNonNull(state, "state");
        requireOpen();
        ProgressEstimator[] restored = new ProgressEstimator[1];
        byte[][] moments = new byte[1][];
        SavedState.read(state, STATE_MAGIC, STATE_VERSION, "the " + NAME + " shaper", in -> {
            if (!in.readBoolean()) {
                return;
            }
            int input = in.readInt();
            int hidden = in.readInt();
            if (input != 2 * config.features() || hidden != config.hidden()) {
                throw new IllegalArgumentException("the saved state of the " + NAME + " shaper is of an estimator with "
                        + input / 2 + " features and " + hidden + " hidden units, but it is configured with "
                        + config.features() + " and " + config.hidden() + " (shaper.features, shaper.hidden)");
            }
            float[][] weights = new float[4][];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = new float[in.readInt()];
                for (int k = 0; k < weights[i].length; k++) {
                    weights[i][k] = in.readFloat();
                }
            }
            moments[0] = in.readNBytes(in.readInt());
            restored[0] = new ProgressEstimator(input, hidden, weights);
        });
        if (restored[0] == null) {
            closeEstimator();
            return;
        }
        AdamW restoredOptimizer = AdamW.of(config.lr(), config.weightDecay());
        restoredOptimizer.restoreState(moments[0]);
        closeEstimator();
        estimator = restored[0];
        optimizer = restoredOptimizer;
    }

    private void closeEstimator() {
        if (optimizer != null) {
            optimizer.close();
        }
        estimator = null;
        optimizer = null;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("the " + NAME + " shaper is closed");
        }
    }

    @Override
    public void close() {
        closeEstimator();
        closed = true;
    }
}

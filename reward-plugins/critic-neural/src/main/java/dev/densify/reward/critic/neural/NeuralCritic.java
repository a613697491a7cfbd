package dev.densify.reward.critic.neural;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.api.API;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticSample;
import dev.densify.api.critic.CriticState;
import dev.densify.api.critic.FitReport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * A value critic V(s) learned from the frozen policy's hidden states by a {@link ValueHead}.
 *
 * <p><b>Fitting.</b> Each {@link #fit} continues from the current parameters (the first one initialises them
 * from the configured seed): shuffled mini-batches, MSE on standardised targets, AdamW with decoupled weight
 * decay on weight matrices, and dropout. After every epoch the held-out MSE decides early stopping: training
 * stops after {@code patience} epochs without improvement and the best parameters seen (including those the fit
 * started from) are kept. Without held-out samples all epochs run and held-out figures are NaN.
 *
 * <p><b>Standardisation.</b> Features are standardised per dimension with statistics of the first fit's training
 * states and kept from then on: the policy producing them is frozen, so a state's features never change, only
 * which states are visited. Targets are standardised with each fit's training mean and std; when these change,
 * the output layer is rescaled so that predictions are preserved (Pop-Art, van Hasselt et al. 2016) and the
 * next fit refines rather than re-learns.
 *
 * <p><b>Determinism and state.</b> Initialisation, shuffling and dropout draw from {@link Random}s derived from
 * the seed and the number of fits so far, never from the engine's global generator; parameters live on the heap.
 * {@link #saveState()} holds parameters, statistics and the fit count, so a restored critic predicts and
 * continues fitting exactly as the saved one would. Before its first fit the critic predicts 0 everywhere.
 *
 * <p>Not thread-safe. Fitting opens a DJL gradient collector, of which the PyTorch engine allows one at a time:
 * do not fit while the policy's learner is collecting gradients.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NeuralCritic implements Critic {

    private static final int STATE_MAGIC = 0x444E4331; // "DNC1"
    /** 2 adds the state memory; states of version 1 (no memory) still restore. */
    private static final int STATE_VERSION = 2;
    /** States per forward pass when predicting, to bound native memory. */
    private static final int PREDICT_CHUNK = 256;
    /** Standardised features beyond this many deviations carry no more information, only instability. */
    private static final float FEATURE_CLIP = 10;
    private static final double MIN_STD = 1e-4;

    private final String name;
    private final ValueHead head;
    private final TrainingSettings settings;
    private final NDManager manager;
    private final StateMemory memory;
    private boolean closed;

    // Learned state: all null / initial until the first fit.
    private Parameters parameters;
    private float[] featureMean;
    private float[] featureStd;
    private double targetMean;
    private double targetStd = 1;
    private long fits;

    NeuralCritic(String name, ValueHead head, TrainingSettings settings) {
        this.name = Objects.requireNonNull(name, "name");
        this.head = Objects.requireNonNull(head, "head");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.manager = NDManager.newBaseManager();
        this.memory = settings.memory() ? new StateMemory(settings.memoryPrior()) : null;
    }

    @Override
    public double[] predict(List<CriticState> states) {
        Objects.requireNonNull(states, "states");
        requireOpen();
        return values(states, parameters == null || states.isEmpty() ? List.of() : headInputs(states));
    }

    /** V of {@code states}, whose head inputs are {@code rows}: 0 everywhere before the first fit. */
    private double[] values(List<CriticState> states, List<float[][]> rows) {
        if (parameters == null || states.isEmpty()) {
            return new double[states.size()];
        }
        double[] values = headValues(rows);
        if (memory != null) {
            memory.blend(states, values);
        }
        return values;
    }

    /** The head's values on the original scale of the targets, without dropout. */
    private double[] headValues(List<float[][]> rows) {
        double[] values = new double[rows.size()];
        for (int from = 0; from < rows.size(); from += PREDICT_CHUNK) {
            List<float[][]> chunk = rows.subList(from, Math.min(rows.size(), from + PREDICT_CHUNK));
            float[] standardised;
            try (NDManager step = manager.newSubManager()) {
                standardised = head.forward(step, parameters.toArrays(step, false), chunk, Dropout.OFF)
                        .toFloatArray();
            }
            for (int i = 0; i < standardised.length; i++) {
                values[from + i] = standardised[i] * targetStd + targetMean;
            }
        }
        return values;
    }

    @Override
    public FitReport fit(List<CriticSample> train, List<CriticSample> heldOut) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(heldOut, "heldOut");
        requireOpen();
        if (train.isEmpty()) {
            return report(train, heldOut, List.of(), List.of(), 0);
        }
        List<CriticState> trainStates = train.stream().map(CriticSample::state).toList();
        double[] targets = train.stream().mapToDouble(CriticSample::target).toArray();
        if (parameters == null) {
            initialise(trainStates);
            targetMean = mean(targets);
            targetStd = std(targets);
        } else {
            rescaleTargets(mean(targets), std(targets));
        }

        Random random = new Random(settings.seed() * 0x9E3779B97F4A7C15L + fits);
        fits++;
        List<float[][]> trainRows = headInputs(trainStates);
        List<float[][]> heldOutRows = headInputs(heldOut.stream().map(CriticSample::state).toList());
        double[] heldOutTargets = heldOut.stream().mapToDouble(CriticSample::target).toArray();
        float[] standardisedTargets = new float[targets.length];
        for (int i = 0; i < targets.length; i++) {
            standardisedTargets[i] = (float) ((targets[i] - targetMean) / targetStd);
        }

        AdamW optimizer = new AdamW(settings.learningRate(), settings.weightDecay());
        Dropout dropout = new Dropout(settings.dropout(), new SplittableRandom(random.nextLong()));
        Parameters best = parameters.copy();
        double bestLoss = heldOut.isEmpty() ? Double.NaN : mse(heldOutRows, heldOutTargets);
        int sinceBest = 0;
        int epochs = 0;
        int[] order = new int[train.size()];
        Arrays.setAll(order, i -> i);
        while (epochs < settings.epochs()) {
            epochs++;
            shuffle(order, random);
            for (int from = 0; from < order.length; from += settings.batch()) {
                int to = Math.min(order.length, from + settings.batch());
                List<float[][]> batchRows = new ArrayList<>(to - from);
                float[] batchTargets = new float[to - from];
                for (int i = from; i < to; i++) {
                    batchRows.add(trainRows.get(order[i]));
                    batchTargets[i - from] = standardisedTargets[order[i]];
                }
                step(batchRows, batchTargets, dropout, optimizer, epochs);
            }
            if (!heldOut.isEmpty()) {
                double loss = mse(heldOutRows, heldOutTargets);
                if (loss < bestLoss) {
                    bestLoss = loss;
                    best = parameters.copy();
                    sinceBest = 0;
                } else if (++sinceBest >= settings.patience()) {
                    break;
                }
            }
        }
        if (!heldOut.isEmpty()) {
            parameters.setFrom(best);
        }
        if (memory != null) {
            memory.refit(train);
        }
        return report(train, heldOut, trainRows, heldOutRows, epochs);
    }

    private void step(List<float[][]> rows, float[] targets, Dropout dropout, AdamW optimizer, int epoch) {
        Map<String, float[]> gradients = new HashMap<>();
        try (NDManager step = manager.newSubManager()) {
            Map<String, NDArray> arrays = parameters.toArrays(step, true);
            NDArray loss;
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                loss = head.forward(step, arrays, rows, dropout).sub(step.create(targets)).square().mean();
                collector.backward(loss);
            }
            float value = loss.getFloat();
            if (!Float.isFinite(value)) {
                throw new IllegalStateException("critic '" + name + "' diverged: training loss " + value
                        + " in epoch " + epoch + "; lower its lr (now " + settings.learningRate() + ")");
            }
            arrays.forEach((tensor, array) -> gradients.put(tensor, array.getGradient().toFloatArray()));
        }
        optimizer.step(parameters, gradients);
    }

    /** The fit's report, from the head inputs the fit made once ({@code trainRows}, {@code heldOutRows}). */
    private FitReport report(List<CriticSample> train, List<CriticSample> heldOut, List<float[][]> trainRows,
                             List<float[][]> heldOutRows, int epochs) {
        double[] trainTargets = train.stream().mapToDouble(CriticSample::target).toArray();
        double[] heldOutTargets = heldOut.stream().mapToDouble(CriticSample::target).toArray();
        double[] heldOutPredictions = values(heldOut.stream().map(CriticSample::state).toList(), heldOutRows);
        double[] trainPredictions = values(train.stream().map(CriticSample::state).toList(), trainRows);
        return new FitReport(
                FitReport.meanSquaredError(trainTargets, trainPredictions),
                FitReport.meanSquaredError(heldOutTargets, heldOutPredictions),
                heldOut.isEmpty() ? Double.NaN : FitReport.explainedVariance(heldOutTargets, heldOutPredictions),
                epochs);
    }

    /** MSE of the head's current parameters on the targets' original scale, without dropout. */
    private double mse(List<float[][]> rows, double[] targets) {
        double[] values = headValues(rows);
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            double error = values[i] - targets[i];
            sum += error * error;
        }
        return sum / rows.size();
    }

    private void initialise(List<CriticState> states) {
        int dim = requireFeatures(states.get(0)).length;
        double[] sum = new double[dim];
        double[] squares = new double[dim];
        long rows = 0;
        for (CriticState state : states) {
            for (float[] row : checkedRows(state, dim)) {
                for (int d = 0; d < dim; d++) {
                    sum[d] += row[d];
                    squares[d] += (double) row[d] * row[d];
                }
                rows++;
            }
        }
        featureMean = new float[dim];
        featureStd = new float[dim];
        for (int d = 0; d < dim; d++) {
            double mean = sum[d] / rows;
            featureMean[d] = (float) mean;
            featureStd[d] = (float) Math.max(MIN_STD, Math.sqrt(Math.max(0, squares[d] / rows - mean * mean)));
        }
        parameters = head.initialise(dim, new Random(settings.seed()));
    }

    /** Moves to new target statistics while keeping every prediction (the output layer absorbs the change). */
    private void rescaleTargets(double newMean, double newStd) {
        float[] weight = parameters.get(ValueHead.OUTPUT + ".weight").values();
        float[] bias = parameters.get(ValueHead.OUTPUT + ".bias").values();
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) (weight[i] * targetStd / newStd);
        }
        bias[0] = (float) ((targetStd * bias[0] + targetMean - newMean) / newStd);
        targetMean = newMean;
        targetStd = newStd;
    }

    /** Per state what the head reads of its standardised features: made once per call, read in every epoch. */
    private List<float[][]> headInputs(List<CriticState> states) {
        List<float[][]> out = new ArrayList<>(states.size());
        for (CriticState state : states) {
            float[][] rows = checkedRows(state, featureMean.length);
            float[][] scaled = new float[rows.length][featureMean.length];
            for (int t = 0; t < rows.length; t++) {
                for (int d = 0; d < featureMean.length; d++) {
                    float z = (rows[t][d] - featureMean[d]) / featureStd[d];
                    scaled[t][d] = Math.max(-FEATURE_CLIP, Math.min(FEATURE_CLIP, z));
                }
            }
            out.add(head.prepare(scaled));
        }
        return out;
    }

    private float[][] checkedRows(CriticState state, int dim) {
        float[][] rows = state.features();
        requireFeatures(state);
        for (float[] row : rows) {
            if (row == null || row.length != dim) {
                throw new IllegalArgumentException("critic '" + name + "' works on features of dimension " + dim
                        + ", but state '" + state.stateKey() + "' has a row of dimension "
                        + (row == null ? "null" : row.length));
            }
            for (float v : row) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("state '" + state.stateKey() + "' has a non-finite feature "
                            + v + "; critic '" + name + "' needs finite hidden states");
                }
            }
        }
        return rows;
    }

    private float[] requireFeatures(CriticState state) {
        if (state.features().length == 0 || state.features()[0] == null) {
            throw new IllegalArgumentException("critic '" + name + "' needs the policy's hidden states, but state '"
                    + state.stateKey() + "' has no feature rows");
        }
        return state.features()[0];
    }

    private static double mean(double[] xs) {
        return Arrays.stream(xs).average().orElse(0);
    }

    /** Population std; 1 for constant targets, which then standardise to 0 and are learnt exactly. */
    private static double std(double[] xs) {
        double mean = mean(xs);
        double variance = Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).average().orElse(0);
        return Math.sqrt(variance) < 1e-8 ? 1 : Math.sqrt(variance);
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }

    @Override
    public byte[] saveState() {
        requireOpen();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(STATE_MAGIC);
            out.writeInt(STATE_VERSION);
            out.writeUTF(head.architecture());
            out.writeLong(fits);
            out.writeBoolean(memory != null);
            if (memory != null) {
                memory.write(out);
            }
            out.writeBoolean(parameters != null);
            if (parameters != null) {
                out.writeDouble(targetMean);
                out.writeDouble(targetStd);
                writeFloats(out, featureMean);
                writeFloats(out, featureStd);
                parameters.write(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void restoreState(byte[] state) {
        Objects.requireNonNull(state, "state");
        requireOpen();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int version = in.readInt() == STATE_MAGIC ? in.readInt() : -1;
            if (version != 1 && version != STATE_VERSION) {
                throw new IllegalArgumentException("not a saved state of a neural critic (version 1 or "
                        + STATE_VERSION + ")");
            }
            String architecture = in.readUTF();
            if (!architecture.equals(head.architecture())) {
                throw new IllegalArgumentException("critic '" + name + "' is configured as [" + head.architecture()
                        + "] but the saved state is of [" + architecture + "]");
            }
            long savedFits = in.readLong();
            boolean savedMemory = version >= 2 && in.readBoolean();
            if (savedMemory != (memory != null)) {
                throw new IllegalArgumentException("critic '" + name + "' is configured with memory=" + (memory != null)
                        + " but the saved state has memory=" + savedMemory);
            }
            if (savedMemory) {
                memory.read(in);
            }
            if (!in.readBoolean()) {
                parameters = null;
                featureMean = null;
                featureStd = null;
                targetMean = 0;
                targetStd = 1;
                fits = savedFits;
                return;
            }
            double mean = in.readDouble();
            double std = in.readDouble();
            float[] fMean = readFloats(in);
            float[] fStd = readFloats(in);
            Parameters restored = Parameters.read(in);
            if (!restored.sameLayout(head.initialise(fMean.length, new Random(0)))) {
                throw new IllegalArgumentException("the saved state's parameters do not match the architecture ["
                        + architecture + "] for features of dimension " + fMean.length);
            }
            parameters = restored;
            featureMean = fMean;
            featureStd = fStd;
            targetMean = mean;
            targetStd = std;
            fits = savedFits;
        } catch (IOException e) {
            throw new IllegalArgumentException("the saved state of critic '" + name + "' is truncated or corrupt", e);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        float[] values = new float[in.readInt()];
        for (int i = 0; i < values.length; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("critic '" + name + "' is closed");
        }
    }

    /** Releases the critic's native memory; the critic cannot be used afterwards. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            manager.close();
        }
    }
}

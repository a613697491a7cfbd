package dev.densify.reward.critic.tabular;

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
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * V(s) as the exact average of the Monte Carlo returns observed from states with the same key. Fitting is one
 * pass over the samples; the report gives the mean squared error on the training and held-out samples and the
 * held-out explained variance, measured on a table of the training samples alone, after which the held-out samples
 * join the table (there is nothing a table could select on them). The table is the checkpointed state.
 *
 * <p>With a backoff, a second table averages the returns of every coarser key (the key with the backoff's matches
 * deleted), and a key's average is shrunk towards its coarser key's rather than towards the mean of all: a state
 * seen seldom, or never, borrows the evidence of the states that differ from it only in what the backoff deletes.
 * The coarser table is a function of the exact one, rebuilt from it in key order, so it needs no state of its own.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class TabularCritic implements Critic {
    private static final int STATE_VERSION = 1;

    private final TabularCriticConfig config;
    private final Map<String, Average> table = new HashMap<>();
    /** The coarser keys' averages, or null without a backoff. */
    private final Map<String, Average> coarser;
    private final Pattern backoff;
    private double totalSum;
    private long totalCount;

    public TabularCritic(TabularCriticConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.backoff = config.backoff().isEmpty() ? null : Pattern.compile(config.backoff());
        this.coarser = backoff == null ? null : new HashMap<>();
    }

    @Override
    public boolean needsFeatures() {
        return false;
    }

    @Override
    public double[] predict(List<CriticState> states) {
        Objects.requireNonNull(states, "states");
        double unseen = unseenPrediction();
        double[] values = new double[states.size()];
        for (int i = 0; i < values.length; i++) {
            String key = Objects.requireNonNull(states.get(i), "states[" + i + "]").stateKey();
            Average average = table.get(key);
            if (coarser == null) {
                values[i] = shrunk(average, unseen, config.prior());
            } else {
                double coarse = shrunk(coarser.get(coarserKey(key)), unseen, config.prior());
                values[i] = shrunk(average, coarse, config.backoffPrior());
            }
        }
        return values;
    }

    /** (sum + prior * towards) / (count + prior): an average that starts with prior pseudo-returns at towards. */
    private static double shrunk(Average average, double towards, double prior) {
        return average == null ? towards : (average.sum + prior * towards) / (average.count + prior);
    }

    private String coarserKey(String key) {
        return backoff.matcher(key).replaceAll("");
    }

    /** The coarser table from the exact one, in key order so that equal tables sum alike. */
    private void rebuildCoarser() {
        if (coarser == null) {
            return;
        }
        coarser.clear();
        for (Map.Entry<String, Average> entry : new TreeMap<>(table).entrySet()) {
            Average into = coarser.computeIfAbsent(coarserKey(entry.getKey()), k -> new Average());
            into.sum += entry.getValue().sum;
            into.count += entry.getValue().count;
        }
    }

    @Override
    public FitReport fit(List<CriticSample> train, List<CriticSample> heldOut) {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(heldOut, "heldOut");
        if (config.mode() == TabularCriticConfig.Mode.REFIT) {
            table.clear();
            totalSum = 0;
            totalCount = 0;
        }
        add(train);
        double[] heldOutTargets = targets(heldOut);
        double[] heldOutPredictions = predictions(heldOut);
        FitReport report = new FitReport(
                FitReport.meanSquaredError(targets(train), predictions(train)),
                FitReport.meanSquaredError(heldOutTargets, heldOutPredictions),
                FitReport.explainedVariance(heldOutTargets, heldOutPredictions),
                1);
        // A table has nothing to select on held-out samples: once they have measured it, they join it.
        add(heldOut);
        return report;
    }

    private void add(List<CriticSample> samples) {
        for (CriticSample sample : samples) {
            table.computeIfAbsent(sample.state().stateKey(), k -> new Average()).add(sample.target());
            totalSum += sample.target();
            totalCount++;
        }
        rebuildCoarser();
    }

    /** How many distinct states the table holds. */
    public int size() {
        return table.size();
    }

    private double unseenPrediction() {
        return config.unseen() == TabularCriticConfig.Unseen.MEAN && totalCount > 0
                ? totalSum / totalCount
                : config.unseenValue();
    }

    private static double[] targets(List<CriticSample> samples) {
        return samples.stream().mapToDouble(CriticSample::target).toArray();
    }

    private double[] predictions(List<CriticSample> samples) {
        return predict(samples.stream().map(CriticSample::state).toList());
    }

    /**
     * Entries sorted by key, so equal tables save to equal bytes. The running totals are saved as they are rather
     * than re-summed on restore, whose different order would round differently and break exact continuation.
     */
    @Override
    public byte[] saveState() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(STATE_VERSION);
            out.writeDouble(totalSum);
            out.writeLong(totalCount);
            out.writeInt(table.size());
            for (Map.Entry<String, Average> entry : new TreeMap<>(table).entrySet()) {
                byte[] key = entry.getKey().getBytes(StandardCharsets.UTF_8);
                out.writeInt(key.length);
                out.write(key);
                out.writeDouble(entry.getValue().sum);
                out.writeLong(entry.getValue().count);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public void restoreState(byte[] state) {
        Objects.requireNonNull(state, "state");
        Map<String, Average> restored = new HashMap<>();
        double restoredSum;
        long restoredCount;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(state))) {
            int version = in.readInt();
            if (version != STATE_VERSION) {
                throw new IllegalArgumentException("not a tabular critic state of version " + STATE_VERSION
                        + ": found version " + version);
            }
            restoredSum = in.readDouble();
            restoredCount = in.readLong();
            long counted = 0;
            int entries = in.readInt();
            for (int i = 0; i < entries; i++) {
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new IllegalArgumentException("corrupt tabular critic state: key " + i + " has length " + length);
                }
                String key = new String(in.readNBytes(length), StandardCharsets.UTF_8);
                Average average = new Average();
                average.sum = in.readDouble();
                average.count = in.readLong();
                if (average.count <= 0 || !Double.isFinite(average.sum) || restored.put(key, average) != null) {
                    throw new IllegalArgumentException("corrupt tabular critic state at key '" + key + "'");
                }
                counted += average.count;
            }
            if (counted != restoredCount || !Double.isFinite(restoredSum) || in.available() > 0) {
                throw new IllegalArgumentException("corrupt tabular critic state: totals or length do not match the table");
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("truncated tabular critic state (" + state.length + " bytes)", e);
        }
        table.clear();
        table.putAll(restored);
        totalSum = restoredSum;
        totalCount = restoredCount;
        rebuildCoarser();
    }

    /** Sum and count of the returns seen from one state. */
    private static final class Average {
        private double sum;
        private long count;

        void add(double target) {
            sum += target;
            count++;
        }
    }
}

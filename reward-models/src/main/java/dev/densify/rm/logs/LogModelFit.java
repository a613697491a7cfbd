package dev.densify.rm.logs;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.api.API;
import dev.densify.api.algo.Tensors;
import dev.densify.core.optim.AdamW;
import dev.densify.rm.encoder.TextEncoder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits a {@link LogRewardModel} on complete records: split by episode, rewards normalised with the training
 * split's scales (regression) or taken as 0/1 labels (classification), features standardised with the training
 * split's statistics, the predictor trained with AdamW on shuffled mini-batches, and after every epoch the
 * validation loss decides early stopping ({@code patience} epochs without improvement; the best epoch's weights are
 * kept). Everything random derives from {@code train.seed}: the same records and settings give the same model.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class LogModelFit {
    private static final Logger LOG = LoggerFactory.getLogger(LogModelFit.class);
    private static final int PROJECTIONS = 4;
    private static final double MIN_STD = 1e-4;

    /**
     * What a fit produced.
     *
     * @param model the fitted model (its encoder open; close it)
     * @param split record and episode counts per part
     * @param curves per-epoch training and validation loss
     * @param bestEpoch the epoch whose weights were kept
     * @param stoppedEarly whether patience ended training before the last epoch
     * @param validation metrics on the validation split
     * @param test metrics on the test split (records with observed rewards only)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Result(LogRewardModel model, SplitSizes split, EpochCurves curves, int bestEpoch,
                         boolean stoppedEarly, Evaluation validation, Evaluation test) {}

    /** Records and episodes in each part of the split. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record SplitSizes(int trainRecords, int validationRecords, int testRecords, int trainEpisodes,
                             int validationEpisodes, int testEpisodes) {
        static SplitSizes of(EpisodeSplit s) {
            return new SplitSizes(s.train().size(), s.validation().size(), s.test().size(), episodes(s.train()),
                    episodes(s.validation()), episodes(s.test()));
        }

        private static int episodes(List<LogRecord> records) {
            return (int) records.stream().map(LogRecord::episodeKey).distinct().count();
        }
    }

    private LogModelFit() {}

    /** Fits with the encoder the settings name (opened here; the result's model owns it). */
    public static Result fit(List<LogRecord> records, LogsSettings settings) {
        LogsSettings.Encoder spec = settings.encoder();
        if (spec.kind() == LogsSettings.EncoderKind.LLAMA) {
            spec = new LogsSettings.Encoder(spec.kind(), Path.of(spec.checkpoint()).toAbsolutePath().normalize()
                    .toString(), spec.maxTokens(), spec.batch(), spec.dimension());
        }
        TextEncoder encoder = LogRewardModel.openEncoder(spec);
        try {
            return fit(records, settings, spec, encoder);
        } catch (RuntimeException | Error e) {
            encoder.close();
            throw e;
        }
    }

    static Result fit(List<LogRecord> logged, LogsSettings settings, LogsSettings.Encoder spec, TextEncoder encoder) {
        Objects.requireNonNull(logged, "logged");
        List<LogRecord> records = settings.target() == LogsSettings.Target.RETURN
                ? Returns.toGo(logged, settings.gamma()) : logged;
        LogsSettings.Train t = settings.train();
        EpisodeSplit split = EpisodeSplit.of(records, t.validation(), t.test(), t.seed());
        boolean binary = split.train().stream().allMatch(r -> r.reward() == 0 || r.reward() == 1);
        boolean classification = switch (settings.task()) {
            case AUTO -> binary;
            case REGRESSION -> false;
            case CLASSIFICATION -> {
                if (!binary) {
                    throw new IllegalArgumentException("logs.task: classification needs rewards of 0 or 1, but the "
                            + "training records have others; use task=regression or task=auto");
                }
                yield true;
            }
        };
        if (classification && settings.normalize() != RewardScales.Method.NONE) {
            LOG.info("0/1 rewards are classified: reward normalisation ({}) does not apply", settings.normalize());
        }
        RewardScales scales = classification ? RewardScales.fit(RewardScales.Method.NONE, false, split.train())
                : RewardScales.fit(settings.normalize(), settings.perSource(), split.train());

        float[][] trainRaw = LogRewardModel.encode(encoder, split.train());
        int input = trainRaw[0].length;
        float[] mean = new float[input];
        float[] std = new float[input];
        statistics(trainRaw, mean, std);
        float[][] trainX = LogRewardModel.standardise(trainRaw, mean, std);
        float[][] validationX = LogRewardModel.standardise(LogRewardModel.encode(encoder, split.validation()), mean, std);
        float[] trainY = targets(split.train(), scales, classification);
        float[] validationY = targets(split.validation(), scales, classification);

        Random random = new Random(t.seed());
        int hidden = settings.model().hidden();
        float[][] best = RewardNet.initialise(input, hidden, random);
        EpochCurves curves = new EpochCurves(List.of());
        int bestEpoch = 0;
        boolean stoppedEarly = false;
        try (NDManager manager = NDManager.newBaseManager();
             AdamW optimizer = AdamW.of(t.lr(), t.weightDecay())) {
            List<NDArray> p = RewardNet.arrays(manager, best, input, hidden, true);
            double bestLoss = loss(manager, p, validationX, validationY, classification);
            int sinceBest = 0;
            int[] order = new int[trainX.length];
            Arrays.setAll(order, i -> i);
            for (int epoch = 1; epoch <= t.epochs(); epoch++) {
                shuffle(order, random);
                double sum = 0;
                int batches = 0;
                for (int from = 0; from < order.length; from += t.batch()) {
                    int to = Math.min(order.length, from + t.batch());
                    float[] y = new float[to - from];
                    for (int i = from; i < to; i++) {
                        y[i - from] = trainY[order[i]];
                    }
                    try (NDManager step = manager.newSubManager();
                         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        NDArray x = LogRewardModel.batch(step, trainX, order, from, to);
                        NDArray target = dev.densify.core.model.LlamaModel.owned(step.create(y));
                        NDArray loss = lossOf(RewardNet.forward(p, x), target, classification);
                        float value = loss.getFloat();
                        if (!Float.isFinite(value)) {
                            throw new IllegalStateException("the reward model diverged: training loss " + value
                                    + " in epoch " + epoch + "; lower logs.train.lr (now " + t.lr() + ")");
                        }
                        collector.backward(loss);
                        sum += value;
                        batches++;
                    }
                    optimizer.step(p);
                    optimizer.zeroGradients(p);
                }
                double validationLoss = loss(manager, p, validationX, validationY, classification);
                curves = curves.plus(new EpochCurves.Epoch(epoch, sum / batches, validationLoss));
                LOG.debug("epoch {}: train loss {}, validation loss {}", epoch, sum / batches, validationLoss);
                if (validationLoss < bestLoss) {
                    bestLoss = validationLoss;
                    best = RewardNet.copy(p);
                    bestEpoch = epoch;
                    sinceBest = 0;
                } else if (++sinceBest >= t.patience()) {
                    stoppedEarly = epoch < t.epochs();
                    break;
                }
            }
        }
        float[][] projections = projections(input, new Random(t.seed() ^ 0x5DEECE66DL));
        LogRewardModel model = new LogRewardModel(LogRewardModel.state(settings.target(), settings.gamma(), spec, classification, scales, hidden, mean, std,
                best, projections, Map.of()), encoder);
        double[] trainPredictions = model.predict(split.train());
        Map<String, Psi> references = new LinkedHashMap<>();
        model.summaries(split.train(), trainX, trainPredictions)
                .forEach((name, values) -> references.put(name, Psi.reference(values, settings.drift().bins())));
        model = new LogRewardModel(LogRewardModel.state(settings.target(), settings.gamma(), spec, classification, scales, hidden, mean, std, best,
                projections, references), encoder);
        return new Result(model, SplitSizes.of(split), curves, bestEpoch, stoppedEarly,
                observedMetrics(model, split.validation()).orElseThrow(() -> new IllegalArgumentException(
                        "the validation split has no record with an observed reward")),
                observedMetrics(model, split.test()).orElseThrow(() -> new IllegalArgumentException(
                        "the test split has no record with an observed reward")));
    }

    /**
     * Metrics over logged records with an observed target (for a return model: every reward from the step on
     * observed); empty when there are none.
     */
    public static Optional<Evaluation> evaluate(LogRewardModel model, List<LogRecord> records) {
        return observedMetrics(model, model.labelled(records));
    }

    private static Optional<Evaluation> observedMetrics(LogRewardModel model, List<LogRecord> records) {
        List<LogRecord> truth = records.stream().filter(LogRecord::rewardObserved).toList();
        if (truth.isEmpty()) {
            return Optional.empty();
        }
        double[] predicted = model.predict(truth);
        double[] observed = truth.stream().mapToDouble(LogRecord::reward).toArray();
        return Optional.of(Evaluation.of(predicted, observed, model.classification()));
    }

    private static NDArray lossOf(NDArray output, NDArray target, boolean classification) {
        if (classification) {
            // binary cross-entropy with logits, stable form: max(z, 0) - z y + log(1 + exp(-|z|))
            return output.maximum(Tensors.scalar(output, 0)).sub(output.mul(target))
                    .add(output.abs().neg().exp().add(1f).log()).mean();
        }
        return output.sub(target).square().mean();
    }

    private static double loss(NDManager manager, List<NDArray> p, float[][] x, float[] y, boolean classification) {
        double sum = 0;
        int chunk = 512;
        for (int from = 0; from < x.length; from += chunk) {
            int to = Math.min(x.length, from + chunk);
            try (NDManager step = manager.newSubManager()) {
                List<NDArray> detached = p.stream().map(NDArray::stopGradient).toList();
                NDArray target = dev.densify.core.model.LlamaModel.owned(step.create(Arrays.copyOfRange(y, from, to)));
                NDArray out = RewardNet.forward(detached, LogRewardModel.batch(step, x, from, to));
                sum += lossOf(out, target, classification).getFloat() * (to - from);
                detached.forEach(NDArray::close);
            }
        }
        return sum / x.length;
    }

    private static float[] targets(List<LogRecord> records, RewardScales scales, boolean classification) {
        float[] y = new float[records.size()];
        for (int i = 0; i < y.length; i++) {
            LogRecord r = records.get(i);
            y[i] = (float) (classification ? r.reward() : scales.normalise(r.source(), r.reward()));
        }
        return y;
    }

    private static void statistics(float[][] rows, float[] mean, float[] std) {
        int d = mean.length;
        double[] sum = new double[d];
        double[] squares = new double[d];
        for (float[] row : rows) {
            for (int k = 0; k < d; k++) {
                sum[k] += row[k];
                squares[k] += (double) row[k] * row[k];
            }
        }
        for (int k = 0; k < d; k++) {
            double m = sum[k] / rows.length;
            mean[k] = (float) m;
            std[k] = (float) Math.max(MIN_STD, Math.sqrt(Math.max(0, squares[k] / rows.length - m * m)));
        }
    }

    /** Unit directions, each scaled by 1 / sqrt(dim) so that projections of standardised features are O(1). */
    private static float[][] projections(int input, Random random) {
        float[][] out = new float[PROJECTIONS][input];
        for (float[] direction : out) {
            double norm = 0;
            for (int k = 0; k < input; k++) {
                direction[k] = (float) random.nextGaussian();
                norm += direction[k] * direction[k];
            }
            for (int k = 0; k < input; k++) {
                direction[k] = (float) (direction[k] / Math.sqrt(norm));
            }
        }
        return out;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
    }
}

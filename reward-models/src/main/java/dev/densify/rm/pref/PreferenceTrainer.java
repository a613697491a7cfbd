package dev.densify.rm.pref;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.densify.api.API;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.optim.AdamW;
import dev.densify.core.optim.LearningRateSchedule;
import dev.densify.rm.encoder.LlamaTextEncoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Trains a {@link PreferenceModel} in two stages (formulas.md, "Bradley-Terry reward model with module heads").
 * Stage 0 freezes the encoder and caches every text's embedding once, then trains the shared norm and the heads.
 * Stage 1 (optional) fine-tunes the encoder together with them, each with its own AdamW and learning rate. Each
 * stage warms up over {@code warmup_fraction} of its actual number of updates and decays linearly to 0 at its
 * last update; it stops after {@code patience} epochs without a lower validation loss and keeps its best epoch.
 *
 * <p>The validation pairs pick the epoch; they are never the pairs the model is evaluated on. Everything random
 * (initialisation, shuffling, dropout) derives from the seed, so the same data and settings train the same model.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class PreferenceTrainer {
    /**
     * One epoch's record.
     *
     * @param stage 0 (encoder frozen) or 1 (fine-tuning)
     * @param trainLoss the mean training loss (margin term included) over the epoch's updates
     * @param validationLoss the validation pairs' mean log(1 + e^-d), without dropout or margin
     * @param validationAccuracy the validation pairs' pairwise accuracy
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Epoch(int stage, int epoch, double trainLoss, double validationLoss, double validationAccuracy,
                        double learningRate) {}

    /**
     * What training did.
     *
     * @param bestEpochs the epoch each stage kept (-1 for a stage that did not run)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record History(List<Epoch> epochs, int updates, int[] bestEpochs) {
        public History {
            epochs = List.copyOf(epochs);
        }
    }

    private final RmSettings settings;
    private final Consumer<String> log;

    public PreferenceTrainer(RmSettings settings, Consumer<String> log) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Trains {@code model} in place on {@code train}, choosing each stage's epoch on {@code validation}. */
    public History train(PreferenceModel model, List<PreferencePair> train, List<PreferencePair> validation) {
        Objects.requireNonNull(model, "model");
        requireHeads(model, train, "training");
        requireHeads(model, validation, "validation");
        if (train.isEmpty() || validation.isEmpty()) {
            throw new IllegalArgumentException("training needs training and validation pairs, got " + train.size()
                    + " and " + validation.size());
        }
        List<Epoch> epochs = new ArrayList<>();
        int[] best = {-1, -1};
        Random random = new Random(settings.seed());
        Dropout dropout = new Dropout(settings.dropout(), new Random(random.nextLong()));
        LlamaTextEncoder encoder = model.encoder();

        Map<String, float[]> cache = embed(encoder, train, validation);
        log.accept("stage 0: " + cache.size() + " distinct texts embedded once, " + train.size() + " training and "
                + validation.size() + " validation pairs");
        int[] updates = {0};
        best[0] = runStage(0, settings.epochs(), train, validation, random, epochs, updates, stageOptimizers(model,
                settings.epochs(), train.size(), false), (batch, manager) -> cachedRows(manager, cache, batch), () -> validationScores(model, validation, cache), model, false, dropout);

        if (settings.finetuneEpochs() > 0) {
            encoder.setTrainable(true);
            try {
                best[1] = runStage(1, settings.finetuneEpochs(), train, validation, random, epochs, updates,
                        stageOptimizers(model, settings.finetuneEpochs(), train.size(), true), (batch, manager) -> {
                            NDArray pooled = encoder.encode(manager, texts(batch));
                            NDList rows = new NDList();
                            for (int k = 0; k < 4; k++) {
                                rows.add(pooled.get(new NDIndex().addSliceDim((long) k * batch.size(),
                                        (long) (k + 1) * batch.size())));
                            }
                            return rows;
                        }, () -> validationScores(model, validation, embed(encoder, List.of(), validation)),
                        model, true, dropout);
            } finally {
                encoder.setTrainable(false);
            }
        }
        return new History(epochs, updates[0], best);
    }

    private static void requireHeads(PreferenceModel model, List<PreferencePair> pairs, String what) {
        for (PreferencePair pair : pairs) {
            if (!model.hasHead(pair.targetModule())) {
                throw new IllegalArgumentException(what + " pair '" + pair.pairId() + "' targets module '"
                        + pair.targetModule() + "', which has no head; heads: " + model.modules());
            }
        }
    }

    /** One optimizer and schedule per parameter set of a stage: the heads, and in stage 1 the encoder. */
    private record Optimizer(AdamW adam, LearningRateSchedule schedule, List<NDArray> parameters) {}

    private List<Optimizer> stageOptimizers(PreferenceModel model, int epochs, int pairs, boolean finetune) {
        int steps = epochs * ((pairs + settings.batchSize() - 1) / settings.batchSize());
        int warmup = (int) Math.round(settings.warmupFraction() * steps);
        List<Optimizer> out = new ArrayList<>();
        double headLr = finetune ? settings.finetuneHeadLr() : settings.headLr();
        out.add(new Optimizer(AdamW.of(headLr, settings.weightDecay()),
                new LearningRateSchedule(headLr, warmup, steps, 0), model.headParameters()));
        if (finetune) {
            double lr = settings.finetuneEncoderLr();
            out.add(new Optimizer(AdamW.of(lr, settings.weightDecay()),
                    new LearningRateSchedule(lr, warmup, steps, 0), model.encoder().trainableParameters()));
        }
        return out;
    }

    @FunctionalInterface
    private interface BatchForward {
        /** Embeddings of pairs of one module: contexts+, modules+, contexts-, modules- [pairs, dim] each. */
        NDList embeddings(List<PreferencePair> sameModule, NDManager manager);
    }

    @FunctionalInterface
    private interface Validation {
        /** Positive and negative scores of the validation pairs, in order. */
        double[][] scores();
    }

    private int runStage(int stage, int maxEpochs, List<PreferencePair> train, List<PreferencePair> validation,
                         Random random, List<Epoch> history, int[] updates, List<Optimizer> optimizers,
                         BatchForward forward, Validation validate, PreferenceModel model, boolean finetune,
                         Dropout dropout) {
        double bestLoss = Double.POSITIVE_INFINITY;
        int bestEpoch = -1;
        Map<String, float[]> bestHeads = model.snapshotHeads();
        ModelWeights bestEncoder = finetune ? model.encoder().model().toWeights() : null;
        long step = 0;
        try {
            for (int epoch = 0; epoch < maxEpochs; epoch++) {
                List<PreferencePair> order = new ArrayList<>(train);
                Collections.shuffle(order, random);
                double lossSum = 0;
                int batches = 0;
                double lr = 0;
                for (int from = 0; from < order.size(); from += settings.batchSize()) {
                    List<PreferencePair> batch = order.subList(from, Math.min(order.size(), from + settings.batchSize()));
                    for (Optimizer o : optimizers) {
                        o.adam().setLearningRate(o.schedule().at(step));
                    }
                    lr = optimizers.get(0).adam().learningRate();
                    float value;
                    try (NDManager manager = NDManager.newBaseManager(); NDScope scope = new NDScope();
                         GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        scope.suppressNotUsedWarning();
                        optimizers.forEach(o -> o.adam().zeroGradients(o.parameters()));
                        NDArray loss = BradleyTerryLoss.loss(differences(model, batch, forward, manager, dropout), settings.alpha(),
                                settings.margin());
                        value = loss.getFloat();
                        if (!Float.isFinite(value)) {
                            throw new IllegalStateException("stage " + stage + " epoch " + epoch + ": the loss is "
                                    + value + "; lower the learning rate (rm." + (finetune ? "finetune_head_lr" : "head_lr")
                                    + ")");
                        }
                        collector.backward(loss);
                    }
                    for (Optimizer o : optimizers) {
                        double norm = o.adam().clipGradNorm(o.parameters(), settings.maxGradNorm());
                        if (!Double.isFinite(norm)) {
                            throw new IllegalStateException("stage " + stage + " epoch " + epoch
                                    + ": the gradient norm is " + norm);
                        }
                        o.adam().step(o.parameters());
                        o.adam().zeroGradients(o.parameters());
                    }
                    step++;
                    updates[0]++;
                    lossSum += value;
                    batches++;
                }
                double[][] scores = validate.scores();
                double validationLoss = 0;
                double wins = 0;
                for (int i = 0; i < scores[0].length; i++) {
                    double d = scores[0][i] - scores[1][i];
                    validationLoss += BradleyTerryLoss.logistic(d);
                    wins += d > 0 ? 1 : d == 0 ? 0.5 : 0;
                }
                validationLoss /= scores[0].length;
                Epoch record = new Epoch(stage, epoch, lossSum / batches, validationLoss, wins / scores[0].length, lr);
                history.add(record);
                log.accept(String.format(java.util.Locale.ROOT,
                        "stage %d epoch %d: train loss %.4f, validation loss %.4f, validation accuracy %.3f",
                        stage, epoch, record.trainLoss(), validationLoss, record.validationAccuracy()));
                if (validationLoss < bestLoss) {
                    bestLoss = validationLoss;
                    bestEpoch = epoch;
                    bestHeads = model.snapshotHeads();
                    if (finetune) {
                        bestEncoder = model.encoder().model().toWeights();
                    }
                } else if (epoch - bestEpoch >= settings.patience()) {
                    log.accept("stage " + stage + ": no lower validation loss for " + settings.patience()
                            + " epochs; keeping epoch " + bestEpoch);
                    break;
                }
            }
        } finally {
            optimizers.forEach(o -> o.adam().close());
        }
        model.restoreHeads(bestHeads);
        if (finetune) {
            model.encoder().model().restore(bestEncoder);
        }
        return bestEpoch;
    }

    /** The four texts of each pair in the batch, grouped: contexts+, modules+, contexts-, modules-. */
    private static List<String> texts(List<PreferencePair> batch) {
        List<String> texts = new ArrayList<>(4 * batch.size());
        batch.forEach(p -> texts.add(p.positive().trajectoryFullContext()));
        batch.forEach(p -> texts.add(p.positive().moduleKAllRounds()));
        batch.forEach(p -> texts.add(p.negative().trajectoryFullContext()));
        batch.forEach(p -> texts.add(p.negative().moduleKAllRounds()));
        return texts;
    }

    private static NDList cachedRows(NDManager manager, Map<String, float[]> cache, List<PreferencePair> batch) {
        List<String> texts = texts(batch);
        NDList rows = new NDList();
        for (int k = 0; k < 4; k++) {
            float[][] block = new float[batch.size()][];
            for (int i = 0; i < batch.size(); i++) {
                block[i] = cache.get(texts.get(k * batch.size() + i));
            }
            rows.add(PreferenceModel.rows(manager, block));
        }
        return rows;
    }

    /** d = r(pos) - r(neg) per pair, each pair scored by its module's head (grouped by module). */
    private static NDArray differences(PreferenceModel model, List<PreferencePair> batch, BatchForward forward,
                                       NDManager manager, Dropout dropout) {
        Map<String, List<PreferencePair>> byModule = new LinkedHashMap<>();
        batch.forEach(p -> byModule.computeIfAbsent(p.targetModule(), k -> new ArrayList<>()).add(p));
        NDList parts = new NDList();
        for (var entry : byModule.entrySet()) {
            NDList rows = forward.embeddings(entry.getValue(), manager);
            NDArray pos = model.forward(entry.getKey(), rows.get(0), rows.get(1), dropout);
            NDArray neg = model.forward(entry.getKey(), rows.get(2), rows.get(3), dropout);
            parts.add(pos.sub(neg));
        }
        return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
    }

    /** Embeds every distinct text of the pairs once, in first-seen order. */
    static Map<String, float[]> embed(LlamaTextEncoder encoder, List<PreferencePair> first, List<PreferencePair> second) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (List<PreferencePair> pairs : List.of(first, second)) {
            pairs.forEach(p -> distinct.addAll(texts(List.of(p))));
        }
        List<String> texts = new ArrayList<>(distinct);
        float[][] vectors = encoder.encode(texts);
        Map<String, float[]> cache = new HashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            cache.put(texts.get(i), vectors[i]);
        }
        return cache;
    }

    /** Positive and negative scores of pairs from cached embeddings, each by its module's head. */
    static double[][] validationScores(PreferenceModel model, List<PreferencePair> pairs, Map<String, float[]> cache) {
        double[] pos = new double[pairs.size()];
        double[] neg = new double[pairs.size()];
        Map<String, List<Integer>> byModule = new LinkedHashMap<>();
        for (int i = 0; i < pairs.size(); i++) {
            byModule.computeIfAbsent(pairs.get(i).targetModule(), k -> new ArrayList<>()).add(i);
        }
        byModule.forEach((module, indices) -> {
            float[][] cp = new float[indices.size()][];
            float[][] mp = new float[indices.size()][];
            float[][] cn = new float[indices.size()][];
            float[][] mn = new float[indices.size()][];
            for (int j = 0; j < indices.size(); j++) {
                PreferencePair p = pairs.get(indices.get(j));
                cp[j] = cache.get(p.positive().trajectoryFullContext());
                mp[j] = cache.get(p.positive().moduleKAllRounds());
                cn[j] = cache.get(p.negative().trajectoryFullContext());
                mn[j] = cache.get(p.negative().moduleKAllRounds());
            }
            double[] sp = model.score(module, cp, mp);
            double[] sn = model.score(module, cn, mn);
            for (int j = 0; j < indices.size(); j++) {
                pos[indices.get(j)] = sp[j];
                neg[indices.get(j)] = sn[j];
            }
        });
        return new double[][] {pos, neg};
    }
}

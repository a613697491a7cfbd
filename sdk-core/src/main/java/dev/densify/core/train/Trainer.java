package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.buffer.Delivery;
import dev.densify.api.critic.FitReport;
import dev.densify.api.env.Task;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.GenerationClock;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.model.io.AdapterBase;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.optim.AdamW;
import dev.densify.core.train.PhaseTimes.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run's iterations: collect, (forks,) value, shape, normalise, advantages, update, fit the critic,
 * evaluate, then the iteration's listeners (the reward-hacking alarm, trajectory samples, the metrics line, the
 * checkpoint).
 * It starts from the policy it is given (warm-started by {@link TrainingRun} for a fresh run) and trains nothing
 * until {@link #run}. Randomness is drawn from the run seed and the iteration only, so resuming from a checkpoint
 * repeats an uninterrupted run. It owns and closes the policy, the rollouts, its optimizer and the frozen copies.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Trainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    /** Prompts whose critic features are kept (about 16 KB each at the default window). */
    static final int FEATURE_CACHE = 16_384;

    private final TrainerSettings settings;
    private final TrainingPlugins plugins;
    private final RunSeeds seeds;
    private final Rollouts rollouts;
    private final BatchSource source;
    private final RunFolder run;
    private final TrainingListener listener;
    private final LanguagePolicy policy;
    private final LanguagePolicy evaluationPolicy;
    private final Optional<LlamaModel> reference;
    /** Present when the policy trains LoRA adapters: what its checkpoints hold instead of the frozen base. */
    private final Optional<Checkpoint.Lora> lora;
    private final Learner learner;
    private final ValueEstimator values;
    private final FrozenFeatures features;
    private final List<LlamaModel> owned = new ArrayList<>();
    private final RewardSynthesis synthesis;
    private final Evaluator evaluator;
    private final List<Delivery> unacknowledged = new ArrayList<>();
    private final HackingAlarm hackingAlarm = new HackingAlarm();
    /** What hears each finished iteration, in this order. */
    private final List<IterationListener> iterationListeners;
    private int nextIteration;
    private long episodes;
    /** This process's time per phase over its iterations, and in writing checkpoints (after each metrics line). */
    private final PhaseTimes totals = new PhaseTimes();
    private long checkpointNanos;

    /**
     * @param model the policy's weights to start from (fresh and warm-started, or restored from {@code resumeFrom});
     *     the trainer owns it from here
     * @param rollouts where episodes are played; the trainer owns it from here
     * @param resumeFrom the checkpoint to continue from; empty for a fresh run
     * @param sources where iterations get their trajectories (collected here, or from remote workers)
     */
    Trainer(TrainerSettings settings, PolicySettings policySettings, TrainingPlugins plugins, LlamaModel model,
            Rollouts rollouts, BatchSource.Factory sources, RunFolder run, Optional<Checkpoint> resumeFrom,
            TrainingListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.run = Objects.requireNonNull(run, "run");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.rollouts = Objects.requireNonNull(rollouts, "rollouts");
        this.seeds = new RunSeeds(settings.seed());
        // What the trainer owns from here, and what it makes, is closed again when a later step fails: a trainer
        // that cannot start leaves no model, optimizer, source or collector behind.
        List<AutoCloseable> opened = new ArrayList<>(List.of(() -> closePlugins(plugins), rollouts, model,
                () -> owned.forEach(LlamaModel::close)));
        try {
            this.source = sources.open(rollouts.collector(), rollouts.tasks());
            opened.add(source);
            this.evaluator = rollouts.evaluator(settings.evalEpisodes());
            this.synthesis = new RewardSynthesis(plugins.shapers(), plugins.normalizer());
            this.lora = loraOf(model, policySettings);
            if (resumeFrom.isPresent()) {
                Checkpoint c = resumeFrom.get();
                if (c.lora().isPresent()) {
                    // The adapters go onto the configured base (fresh adapters, frozen weights): the base is not
                    // copied.
                    c.lora().get().requireContinuable(run.checkpoints(), model.lora(),
                            lora.orElseThrow(() -> new RunFolderException(run.checkpoints() + " holds LoRA adapters"
                                    + " but the run is configured with policy.lora.rank=0")).base());
                    this.reference = c.reference().map(w -> restored(model.frozenCopy(), w));
                    reference.ifPresent(opened::add);
                    this.policy = LanguagePolicy.of(restored(model, c.policy()), policySettings,
                            settings.criticFeatureTokens());
                } else {
                    if (lora.isPresent()) {
                        throw new RunFolderException(run.checkpoints() + " holds full weights, not LoRA adapters, but"
                                + " the run is configured with policy.lora.rank=" + model.lora().get().rank()
                                + "; resume with the run's own policy.lora");
                    }
                    this.policy = LanguagePolicy.of(Checkpoint.model(c.policy(), model), policySettings,
                            settings.criticFeatureTokens());
                    opened.add(policy.model());
                    model.close();
                    this.reference = c.reference().map(w -> Checkpoint.model(w, policy.model()));
                    reference.ifPresent(opened::add);
                }
                plugins.critic().restoreState(c.critic());
                plugins.normalizer().plugin().restoreState(c.normalizer());
                restoreShapers(c);
                policy.setVersion(c.policyVersion());
                this.nextIteration = c.iteration() + 1;
                this.episodes = c.episodes();
                source.acknowledgeReceipts(c.receipts());
                run.truncateMetricsAfter(c.iteration());
                // The alarm's window continues over the resumed iterations; what it said then is in their lines.
                run.readIterationMetrics().forEach(hackingAlarm::replay);
            } else {
                this.policy = LanguagePolicy.of(model, policySettings, settings.criticFeatureTokens());
                // The reference is the policy RL starts from (warm-started already, if asked): the KL metric needs it
                // even when the loss does not.
                this.reference = Optional.of(policy.model().frozenCopy());
                opened.add(reference.get());
            }
            this.evaluationPolicy = evaluationPolicy(policy, settings, policySettings);
            AdamW adam = AdamW.of(settings.lr(), settings.weightDecay());
            opened.add(adam);
            resumeFrom.ifPresent(c -> adam.restoreState(c.optimizer()));
            this.learner = new Learner(policy.model(), reference, adam, settings.epochs(), settings.miniBatch(),
                    settings.maxGradNorm());
            // Features come from a frozen model, so that the critic's inputs do not drift as the policy trains.
            this.features = new FrozenFeatures(reference.orElseGet(() -> ownedFrozen(policy.model())), policy,
                    settings.criticFeatureTokens(), FEATURE_CACHE);
            this.values = new ValueEstimator(plugins.critic(), features, plugins.gamma(), settings.criticHoldout(),
                    settings.criticReplay(), settings.criticLambda(), settings.criticKey(), resumeFrom.isPresent());
            resumeFrom.ifPresent(c -> values.restoreReplay(readReplay(c.iteration())));
            // In this order: the alarm's verdict is a figure of the metrics line, and the samples' writing time is in
            // it; the checkpoint comes after the line, so that a crash in between leaves a line that resume cuts, never
            // a checkpoint without its line.
            this.iterationListeners = List.of(hackingAlarm,
                    new TrajectorySamples(run.trajectories(), settings.sampleTrajectories()),
                    this::writeMetricsLine,
                    this::checkpointIfDue);
        } catch (RuntimeException | Error e) {
            Closing.closeAll(opened, e);
            throw e;
        }
    }

    /** The policy as evaluations see it: greedy when {@code trainer.eval_greedy}, else as it samples in training. */
    static LanguagePolicy evaluationPolicy(LanguagePolicy policy, TrainerSettings settings, PolicySettings policySettings) {
        return settings.evalGreedy()
                ? policy.withSampling(SamplingOptions.greedy(policySettings.maxActionTokens()).withStopStrings(
                        AgentPrompt.STOP_STRINGS))
                : policy;
    }

    public LanguagePolicy policy() {
        return policy;
    }

    /**
     * Seconds this process spent in each of an iteration's own phases, summed over the iterations it ran (the nested
     * phases are parts of these, and the metrics lines hold them), then in writing checkpoints, which happens after
     * an iteration's metrics line and so is in none: the run's time summary.
     */
    public Map<String, Double> phaseSeconds() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Phase phase : Phase.values()) {
            if (!phase.nested()) {
                out.put(phase.label(), totals.seconds(phase));
            }
        }
        out.put("checkpoint", checkpointNanos / 1e9);
        return out;
    }

    /**
     * Writes the policy as a model folder: a LoRA policy as its adapters naming the base they adapt (hashed once, when
     * the run opened), any other as its weights.
     */
    public void writePolicy(Path folder) throws IOException {
        writePolicy(policy.model(), lora, folder);
    }

    static void writePolicy(LlamaModel model, Optional<Checkpoint.Lora> lora, Path folder) throws IOException {
        if (lora.isPresent()) {
            ModelFiles.writeAdapter(lora.get().adapter(model.loraWeights()), folder);
        } else {
            ModelFiles.write(model.toWeights(), folder);
        }
    }

    /** Runs the remaining iterations and returns the run's held-out evaluations (resumed ones included). */
    public List<Evaluation> run() {
        for (int i = nextIteration; i < settings.iterations(); i++) {
            listener.phase("iteration " + (i + 1) + "/" + settings.iterations());
            iteration(i);
            nextIteration = i + 1;
        }
        return evaluations(run.readIterationMetrics());
    }

    /** The held-out evaluations recorded in a run's metrics lines, in order. */
    public static List<Evaluation> evaluations(List<IterationMetrics> metrics) {
        List<Evaluation> evaluations = new ArrayList<>();
        for (IterationMetrics m : metrics) {
            // a success that is not a number (NaN, written as a string) is no evaluation
            m.heldOutSuccess().filter(s -> !Double.isNaN(s.estimate()))
                    .ifPresent(s -> evaluations.add(new Evaluation(m.iteration(), m.episodes(), s)));
        }
        return evaluations;
    }

    /**
     * Per iteration so far, the explained variance of the critic's values on the batch they shaped, measured before
     * the critic was fitted on it (NaN where there was no earlier fit).
     */
    public static double[] criticNextBatchEv(List<IterationMetrics> metrics) {
        return metrics.stream().mapToDouble(m -> m.critic().nextBatchEv()).toArray();
    }

    /** Held-out success of the policy as it is now (the same episodes as every evaluation of the run). */
    public Evaluation evaluate() {
        return new Evaluation(nextIteration - 1, episodes,
                Evaluator.success(evaluator.evaluate(rollouts.collector(), evaluationPolicy)));
    }

    /** Held-out success at an evaluation point. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Evaluation(int iteration, long episodes, Confidence.Interval success) {}

    /** One iteration, stage by stage; the listeners then write what it did. */
    private void iteration(int i) {
        long start = System.nanoTime();
        PhaseTimes times = new PhaseTimes();
        GenerationClock clock = policy.model().generationClock();
        long prefill = clock.prefillNanos();
        long decode = clock.decodeNanos();
        policy.setVersion(i);
        learner.optimizer().setLearningRate(settings.lrAt(i));
        BatchSource.Batch collected = collect(i, times);
        List<Trajectory> batch = collected.deliveries().stream().map(Delivery::trajectory).toList();
        Optional<Collector.ForkValues> forked = forks(i, batch, times);
        Valued valued = value(i, batch, times);
        Rewarded rewarded = timed(times, Phase.REWARDS, () -> {
            Normalised rewards = normalise(batch, valued.predicted(), shape(i, batch, valued.predicted()));
            return new Rewarded(rewards, advantages(batch, rewards.rewards(), valued.predicted(), forked));
        });
        Updated updated = update(i, batch, rewarded.advantages(), times);
        ValueEstimator.Report fit = valued.firstFit().orElseGet(() -> fitCritic(i, batch, times));
        publish(i);
        Optional<IterationMetrics.Outcomes> heldOut = evaluate(i, times);
        times.add(Phase.PREFILL, clock.prefillNanos() - prefill);
        times.add(Phase.DECODE, clock.decodeNanos() - decode);
        IterationMetrics figures = figures(i, collected, batch, forked, valued, rewarded, updated, fit, heldOut);
        IterationContext done = new IterationContext(i, batch, valued.predicted(), rewarded.normalised().rewards(),
                rewarded.advantages(), figures, times, start, (phase, work) -> timed(times, phase, () -> {
                    work.run();
                    return null;
                }));
        iterationListeners.forEach(l -> l.onIteration(done));
    }

    /** The critic's values of the batch, what its rewards are built from, and the first fit if this was it. */
    private record Valued(List<double[]> predicted, double nextBatchEv, Optional<ValueEstimator.Report> firstFit) {}

    /** The shapers' rewards before normalisation and the learned shapers' mean fit loss. */
    private record Shaped(List<GroupedRewards> rewards, double shaperFitLoss) {}

    /** Dense rewards (shaped, then normalised) and the learned shapers' mean fit loss. */
    private record Normalised(List<EpisodeRewards> rewards, double shaperFitLoss) {}

    private record Rewarded(Normalised normalised, List<StepAdvantages> advantages) {}

    /** The update's statistics and the KL to the reference (measured by the update, or just before it). */
    private record Updated(Learner.Stats stats, double kl) {}

    /** Collect: the iteration's batch from the source; its episodes count, its deliveries wait for a checkpoint. */
    private BatchSource.Batch collect(int i, PhaseTimes times) {
        BatchSource.Batch collected = timed(times, Phase.COLLECT, () -> source.next(i, policy, seeds.of(i, 1), times));
        unacknowledged.addAll(collected.deliveries());
        episodes += collected.stats().attempted();
        return collected;
    }

    /** Forks: Monte Carlo values replace the critic's in the credit rule; their rollouts are episodes too. */
    private Optional<Collector.ForkValues> forks(int i, List<Trajectory> batch, PhaseTimes times) {
        return plugins.credit().filter(ProgressCredit::forks).map(credit ->
                timed(times, Phase.FORKS, () -> forkValues(batch, credit.forkRollouts(), seeds.of(i, 3), times)));
    }

    /** Value: V(s) of every state of the batch, from a critic fitted before its first use. */
    private Valued value(int i, List<Trajectory> batch, PhaseTimes times) {
        // A critic is fitted before its first use, so that no iteration builds rewards from an untrained one.
        Optional<ValueEstimator.Report> firstFit = values.fitted() ? Optional.empty()
                : Optional.of(fitCritic(i, batch, times));
        List<double[]> predicted = timed(times, Phase.VALUES, () -> values.values(batch));
        // What the rewards are built from: the critic's values on a batch it has not been fitted on.
        double nextBatchEv = firstFit.isPresent() ? Double.NaN : values.explainedVariance(batch, predicted);
        return new Valued(predicted, nextBatchEv, firstFit);
    }

    /** Shape: the shapers' rewards of the batch, the outcome on each last step, and the learned shapers' fit loss. */
    private Shaped shape(int i, List<Trajectory> batch, List<double[]> predicted) {
        // Learned shapers learn from this batch's outcomes before they shape it (PRIME's update-then-reward order).
        List<LearnedShaper.Fit> fits = synthesis.fit(batch, predicted, seeds.of(i, 2));
        return new Shaped(synthesis.shape(batch, predicted),
                fits.stream().mapToDouble(LearnedShaper.Fit::loss).filter(Double::isFinite).average()
                        .orElse(Double.NaN));
    }

    /** Normalise: the normaliser over the whole shaped batch, grouped by task. */
    private Normalised normalise(List<Trajectory> batch, List<double[]> predicted, Shaped shaped) {
        return new Normalised(synthesis.normalize(batch, predicted, shaped.rewards()), shaped.shaperFitLoss());
    }

    /** Advantages: the algorithm's from the dense rewards, with the credit rule's per-step credit if one is set. */
    private List<StepAdvantages> advantages(List<Trajectory> batch, List<EpisodeRewards> rewards,
                                            List<double[]> predicted, Optional<Collector.ForkValues> forked) {
        List<StepAdvantages> outcome = plugins.algorithm().advantages(rewards);
        List<double[]> stateValues = forked.map(f -> measuredOrPredicted(f.values(), predicted)).orElse(predicted);
        return plugins.credit().map(c -> c.apply(outcome, batch, stateValues, plugins.gamma())).orElse(outcome);
    }

    /** Update: the policy's optimizer steps, with the KL to the reference measured by the loss or just before. */
    private Updated update(int i, List<Trajectory> batch, List<StepAdvantages> advantages, PhaseTimes times) {
        // An algorithm with a KL term measures it during the update; otherwise measure it here, before the update.
        boolean lossMeasuresKl = plugins.algorithm().usesReference();
        // the reference's pass is a phase of its own: one forward of a second model over every update token
        float[][] reference = lossMeasuresKl
                ? timed(times, Phase.KL, () -> learner.referenceLogProbs(batch, seeds.of(i, 0))) : null;
        double before = lossMeasuresKl ? Double.NaN : timed(times, Phase.KL, () -> learner.referenceKl(batch));
        Learner.Stats stats = timed(times, Phase.UPDATE,
                () -> learner.update(plugins.algorithm(), batch, advantages, reference, seeds.of(i, 0), times));
        return new Updated(stats, lossMeasuresKl ? stats.mean("kl") : before);
    }

    /** Fit critic: on the batch just valued (its replay included). */
    private ValueEstimator.Report fitCritic(int i, List<Trajectory> batch, PhaseTimes times) {
        return timed(times, Phase.CRITIC_FIT, () -> values.fit(batch, seeds.of(i, 0)));
    }

    /** The updated policy goes out to the source (its workers); without checkpoints the batch is settled now. */
    private void publish(int i) {
        policy.setVersion(i + 1);
        source.published(policy);
        if (settings.checkpointEvery() == 0) {
            // No checkpoint will hold these receipts, so no resume can replay them: settle them now, or a run without
            // checkpoints holds every trajectory it trained on (here and in the buffer) until it ends.
            source.acknowledge(unacknowledged);
            unacknowledged.clear();
        }
    }

    /** Evaluate: held-out success every {@code trainer.eval_every} iterations and after the last. */
    private Optional<IterationMetrics.Outcomes> evaluate(int i, PhaseTimes times) {
        if (!settings.dueAfter(i, settings.evalEvery()) || settings.evalEpisodes() <= 0) {
            return Optional.empty();
        }
        Collector.Result eval = timed(times, Phase.EVALUATE,
                () -> evaluator.evaluate(rollouts.collector(), evaluationPolicy, times));
        return Optional.of(Metrics.outcomes(eval.trajectories(), eval.stats().attempted()));
    }

    /** The iteration's figures; the alarm's verdict and the times are added by the listeners before the line. */
    private IterationMetrics figures(int i, BatchSource.Batch collected, List<Trajectory> batch,
                                     Optional<Collector.ForkValues> forked, Valued valued, Rewarded rewarded,
                                     Updated updated, ValueEstimator.Report fit,
                                     Optional<IterationMetrics.Outcomes> heldOut) {
        Learner.Stats update = updated.stats();
        List<double[]> predicted = valued.predicted();
        CollectionStats collection = collected.stats();
        return new IterationMetrics(i, episodes, i + 1, Metrics.outcomes(batch), Metrics.uniformGroups(batch),
                Metrics.startValueEvBound(batch),
                new IterationMetrics.UpdateStats(updated.kl(), update.mean("loss"), update.mean("clip_fraction"),
                        update.mean("entropy"), update.mean("grad_norm"), update.updates(), update.skipped()),
                new IterationMetrics.CriticStats(fit.fit().trainLoss(), fit.fit().heldOutLoss(),
                        fit.fit().explainedVariance(), valued.nextBatchEv(), fit.calibrationError(),
                        fit.fit().epochs(), Metrics.meanByStep(predicted),
                        Metrics.meanValueOnInvalidStates(batch, predicted)),
                // how far the critic is from the rollouts' unbiased values on the states it shaped
                forked.map(f -> new IterationMetrics.Forks(f.stats().attempted(), missing(f.values()),
                        agreement(f.values(), predicted))),
                rewarded.normalised().shaperFitLoss(), Metrics.rewards(batch, rewarded.normalised().rewards()),
                new IterationMetrics.Throughput(collection.attempted() / Math.max(1e-9, collection.seconds()),
                        collection.generatedTokens() / Math.max(1e-9, collection.seconds()),
                        update.tokens() / Math.max(1e-9, update.seconds())),
                new IterationMetrics.Volume(batch.stream().mapToInt(Trajectory::length).sum(),
                        batch.stream().flatMap(t -> t.steps().stream()).mapToLong(s -> s.promptTokenIds().length)
                                .sum(), collection.generatedTokens(), update.tokens()),
                Metrics.failures(collection), unacknowledged.size(), collected.metrics(), heldOut, false,
                new IterationMetrics.Timing(Double.NaN, Map.of()));
    }

    /** Listener: the metrics line, with the iteration's times; then the training listener hears of it. */
    private void writeMetricsLine(IterationContext c) {
        c.amend(m -> m.withTiming(IterationMetrics.Timing.of((System.nanoTime() - c.startNanos()) / 1e9, c.times())));
        totals.addAll(c.times());
        run.appendMetrics(c.metrics().toMap());
        listener.iteration(c.iteration(), settings.iterations(), c.metrics());
    }

    /** Listener: a checkpoint every {@code trainer.checkpoint_every} iterations and after the last. */
    private void checkpointIfDue(IterationContext c) {
        int i = c.iteration();
        if (settings.dueAfter(i, settings.checkpointEvery())) {
            long written = System.nanoTime();
            checkpoint(i);
            checkpointNanos += System.nanoTime() - written;
            LOG.debug("checkpoint of iteration {} written in {} s", i, (System.nanoTime() - written) / 1e9);
        }
    }

    /** V(s) of every state of the batch from rollouts on forks; adds the rollouts to the run's episodes. */
    private Collector.ForkValues forkValues(List<Trajectory> batch, int rollouts, long seed, PhaseTimes times) {
        List<Task> of = new ArrayList<>();
        for (Trajectory t : batch) {
            of.add(this.rollouts.trainTask(t.taskId()).orElseThrow(() -> new IllegalStateException(
                    "a trajectory's task is not among the run's training tasks: " + t.taskId())));
        }
        Collector.ForkValues values = this.rollouts.collector().forkValues(batch, of, rollouts, policy, seed,
                plugins.gamma(), times);
        episodes += values.stats().attempted();
        return values;
    }

    /** The measured values where there are some, the critic's where a state's rollouts measured nothing. */
    private static List<double[]> measuredOrPredicted(List<double[]> measured, List<double[]> predicted) {
        List<double[]> out = new ArrayList<>(measured.size());
        for (int j = 0; j < measured.size(); j++) {
            double[] v = measured.get(j).clone();
            for (int t = 0; t < v.length; t++) {
                if (Double.isNaN(v[t])) {
                    v[t] = predicted.get(j)[t];
                }
            }
            out.add(v);
        }
        return out;
    }

    /** Explained variance of the critic's V(s_t), t < T, against the rollouts' values, where they measured one. */
    private static double agreement(List<double[]> measured, List<double[]> predicted) {
        List<Double> targets = new ArrayList<>();
        List<Double> guesses = new ArrayList<>();
        for (int j = 0; j < measured.size(); j++) {
            for (int t = 0; t + 1 < measured.get(j).length; t++) {
                if (!Double.isNaN(measured.get(j)[t])) {
                    targets.add(measured.get(j)[t]);
                    guesses.add(predicted.get(j)[t]);
                }
            }
        }
        return targets.size() < 2 ? Double.NaN : FitReport.explainedVariance(
                targets.stream().mapToDouble(Double::doubleValue).toArray(),
                guesses.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static long missing(List<double[]> measured) {
        return measured.stream().flatMapToDouble(Arrays::stream).filter(Double::isNaN).count();
    }

    /** Times one of the iteration's own phases (not the nested ones), telling the listener as it starts. */
    private <T> T timed(PhaseTimes times, Phase phase, Supplier<T> work) {
        listener.phase(phase.label());
        return times.time(phase, work);
    }

    private void checkpoint(int i) {
        // The replay goes first: a checkpoint always finds its replay beside it, a stray replay file is harmless.
        writeReplay(i);
        Function<LlamaModel, ModelWeights> weights =
                lora.isPresent() ? LlamaModel::loraWeights : LlamaModel::toWeights;
        new Checkpoint(i, policy.version(), episodes, weights.apply(policy.model()),
                reference.map(weights), plugins.critic().saveState(),
                plugins.normalizer().plugin().saveState(), learner.optimizer().saveState(),
                unacknowledged.stream().map(Delivery::receipt).toList(), lora,
                synthesis.learned().stream().map(LearnedShaper::saveState).toList())
                .write(run.checkpoints());
        // Acknowledge only now: until the update is checkpointed, a crash must be able to replay these.
        source.acknowledge(unacknowledged);
        unacknowledged.clear();
    }

    /** The learned shapers' states, in chain order; a checkpoint of another chain cannot continue this run. */
    private void restoreShapers(Checkpoint c) {
        List<LearnedShaper> learned = synthesis.learned();
        if (c.shapers().size() != learned.size()) {
            throw new RunFolderException(run.checkpoints() + " holds the states of " + c.shapers().size()
                    + " learned shapers but the run is configured with " + learned.size() + "; resume with the run's"
                    + " own shaper");
        }
        for (int k = 0; k < learned.size(); k++) {
            learned.get(k).restoreState(c.shapers().get(k));
        }
    }

    private Path replayFile(int iteration) {
        return run.checkpoints().resolve(String.format("critic-replay-%05d.jsonl.gz", iteration));
    }

    private void writeReplay(int iteration) {
        Path target = replayFile(iteration);
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            Files.createDirectories(target.getParent());
            TrajectoryFiles.write(temporary, values.replay());
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the critic's replay " + target, e);
        }
    }

    /** The critic's replay saved with the checkpoint of {@code iteration}; none for checkpoints made without one. */
    private List<Trajectory> readReplay(int iteration) {
        Path file = replayFile(iteration);
        return Files.exists(file) ? TrajectoryFiles.read(file) : List.of();
    }

    /** The LoRA state of a policy with adapters: their configuration and the checkpoint they adapt, hashed once. */
    static Optional<Checkpoint.Lora> loraOf(LlamaModel model, PolicySettings settings) {
        if (model.lora().isEmpty()) {
            return Optional.empty();
        }
        if (settings.checkpoint().isBlank()) {
            throw new IllegalArgumentException("a policy with LoRA adapters needs the base checkpoint it adapts"
                    + " (policy.checkpoint)");
        }
        try {
            return Optional.of(new Checkpoint.Lora(model.lora().get(),
                    AdapterBase.of(Path.of(settings.checkpoint()))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the base checkpoint " + settings.checkpoint(), e);
        }
    }

    /** {@code model} with the checkpointed adapters in place of its own. */
    private static LlamaModel restored(LlamaModel model, ModelWeights adapters) {
        model.restore(new ModelWeights(model.config(), adapters.tensors(), Optional.empty()));
        return model;
    }

    /** The features the critic reads: the frozen reference's hidden states, whatever the policy has learned since. */
    public FeatureSource criticFeatures() {
        return features;
    }

    private LlamaModel ownedFrozen(LlamaModel model) {
        LlamaModel copy = model.frozenCopy();
        owned.add(copy);
        return copy;
    }

    @Override
    public void close() {
        source.close();
        rollouts.close();
        learner.optimizer().close();
        reference.ifPresent(LlamaModel::close);
        owned.forEach(LlamaModel::close);
        policy.model().close();
        closePlugins(plugins);
    }

    /** The critic and the shapers that hold something (a model, native memory, a thread), each on its own. */
    private static void closePlugins(TrainingPlugins plugins) {
        try {
            plugins.critic().close();
        } catch (Exception e) {
            LOG.warn("critic failed to close: {}", e.toString());
        }
        // A shaper may hold a model (native memory, a thread): trainings one after another in a JVM must not pile up.
        for (var shaper : plugins.shapers()) {
            if (shaper.plugin() instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    LOG.warn("shaper '{}' failed to close: {}", shaper.name(), e.toString());
                }
            }
        }
    }
}

package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.critic.FitReport;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.api.reward.LearnedShaper;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.api.buffer.Delivery;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training run: optional warm start from demonstrations, then iterations of collect, value, shape, normalise,
 * advantages, update and critic fit, with held-out evaluation and checkpoints. Randomness is drawn from the run
 * seed and the iteration only, so resuming from a checkpoint repeats an uninterrupted run.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Trainer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final long WARM_START_STREAM = 0x5EED_0001L;
    private static final long EVAL_STREAM = 0x5EED_0002L;
    /** Prompts whose critic features are kept (about 16 KB each at the default window). */
    static final int FEATURE_CACHE = 16_384;

    private final TrainerSettings settings;
    private final TrainingPlugins plugins;
    private final BatchSource source;
    private final RunFolder run;
    private final TrainingListener listener;
    private final TaskSet tasks;
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
    private final Collector collector;
    private final Evaluator evaluator;
    private final List<Delivery> unacknowledged = new ArrayList<>();
    private final HackingAlarm hackingAlarm = new HackingAlarm();
    private int nextIteration;
    private long episodes;
    private final Map<String, Task> trainTasks = new LinkedHashMap<>();
    /** This process's time per phase over its iterations, and in writing checkpoints (after each metrics line). */
    private final PhaseTimes totals = new PhaseTimes();
    private long checkpointNanos;

    /**
     * @param model the policy's weights to start from (fresh, or restored from {@code resumeFrom})
     * @param resumeFrom the checkpoint to continue from; empty for a fresh run (which warms up first if configured)
     * @param sources where iterations get their trajectories (collected here, or from remote workers)
     */
    Trainer(TrainerSettings settings, PolicySettings policySettings, TrainingPlugins plugins, LlamaModel model,
                   BatchSource.Factory sources, RunFolder run, Optional<Checkpoint> resumeFrom, TrainingListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.run = Objects.requireNonNull(run, "run");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tasks = plugins.environment().tasks(plugins.environmentConfig());
        if (tasks.train().isEmpty()) {
            throw new IllegalArgumentException("environment '" + plugins.environment().name() + "' has no training tasks");
        }
        tasks.train().forEach(t -> trainTasks.put(t.id(), t));
        this.collector = new Collector(plugins.environment(), plugins.environmentConfig(), settings.parallelism(),
                Duration.ofMillis(settings.stepTimeoutMs()), settings.maxSteps(), settings.maxFailureFraction());
        this.source = sources.open(collector, tasks);
        // The same evaluation episodes for every seed: runs of an ablation compare on the same episodes, paired.
        this.evaluator = new Evaluator(tasks, settings.evalEpisodes(), new SplittableRandom(EVAL_STREAM).nextLong());
        this.synthesis = new RewardSynthesis(plugins.shapers(), plugins.normalizer());
        AdamW adam = new AdamW(settings.lr(), 0.9, 0.999, 1e-8, settings.weightDecay());
        this.lora = loraOf(model, policySettings);
        if (resumeFrom.isPresent()) {
            Checkpoint c = resumeFrom.get();
            if (c.lora().isPresent()) {
                // The adapters go onto the configured base (fresh adapters, frozen weights): the base is not copied.
                try {
                    c.lora().get().requireContinuable(run.checkpoints(), model.lora(),
                            lora.orElseThrow(() -> new RunFolderException(run.checkpoints() + " holds LoRA adapters"
                                    + " but the run is configured with policy.lora.rank=0")).base());
                } catch (RunFolderException e) {
                    model.close();
                    throw e;
                }
                this.reference = c.reference().map(w -> restored(model.frozenCopy(), w));
                this.policy = LanguagePolicy.of(restored(model, c.policy()), policySettings,
                        settings.criticFeatureTokens());
            } else {
                if (lora.isPresent()) {
                    model.close();
                    throw new RunFolderException(run.checkpoints() + " holds full weights, not LoRA adapters, but the"
                            + " run is configured with policy.lora.rank=" + model.lora().get().rank()
                            + "; resume with the run's own policy.lora");
                }
                this.policy = LanguagePolicy.of(Checkpoint.model(c.policy(), model), policySettings,
                        settings.criticFeatureTokens());
                model.close();
                this.reference = c.reference().map(w -> Checkpoint.model(w, policy.model()));
            }
            adam.restoreState(c.optimizer());
            plugins.critic().restoreState(c.critic());
            plugins.normalizer().plugin().restoreState(c.normalizer());
            restoreShapers(c);
            policy.setVersion(c.policyVersion());
            this.nextIteration = c.iteration() + 1;
            this.episodes = c.episodes();
            source.acknowledgeReceipts(c.receipts());
            run.truncateMetricsAfter(c.iteration());
            // The alarm's window continues over the resumed iterations; what it said then is in their lines.
            run.readMetrics().forEach(line -> alarm(line, false));
        } else {
            this.policy = LanguagePolicy.of(model, policySettings, settings.criticFeatureTokens());
            warmStart();
            // The reference is the policy RL starts from: the KL metric needs it even when the loss does not.
            this.reference = Optional.of(policy.model().frozenCopy());
        }
        this.evaluationPolicy = settings.evalGreedy()
                ? policy.withSampling(SamplingOptions.greedy(policySettings.maxActionTokens()).withStopStrings(
                        AgentPrompt.STOP_STRINGS))
                : policy;
        this.learner = new Learner(policy.model(), reference, adam, settings.epochs(), settings.miniBatch(),
                settings.maxGradNorm());
        // Features come from a frozen model, so that the critic's inputs do not drift as the policy trains.
        this.features = new FrozenFeatures(reference.orElseGet(() -> ownedFrozen(policy.model())), policy,
                settings.criticFeatureTokens(), FEATURE_CACHE);
        this.values = new ValueEstimator(plugins.critic(), features, plugins.gamma(), settings.criticHoldout(),
                settings.criticReplay(), settings.criticLambda(), resumeFrom.isPresent());
        resumeFrom.ifPresent(c -> values.restoreReplay(readReplay(c.iteration())));
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
        if (lora.isPresent()) {
            ModelFiles.writeAdapter(lora.get().adapter(policy.model().loraWeights()), folder);
        } else {
            ModelFiles.write(policy.model().toWeights(), folder);
        }
    }

    /** Runs the remaining iterations and returns the run's held-out evaluations (resumed ones included). */
    public List<Evaluation> run() {
        for (int i = nextIteration; i < settings.iterations(); i++) {
            listener.phase("iteration " + (i + 1) + "/" + settings.iterations());
            iteration(i);
            nextIteration = i + 1;
        }
        return evaluations(run.readMetrics());
    }

    /** The held-out evaluations recorded in a run's metrics lines, in order. */
    public static List<Evaluation> evaluations(List<Map<String, Object>> metrics) {
        List<Evaluation> evaluations = new ArrayList<>();
        metrics.forEach(m -> evaluations.addAll(evaluationsIn(m)));
        return evaluations;
    }

    /**
     * Per iteration so far, the explained variance of the critic's values on the batch they shaped, measured before
     * the critic was fitted on it (NaN where there was no earlier fit).
     */
    public static double[] criticNextBatchEv(List<Map<String, Object>> metrics) {
        return metrics.stream()
                .mapToDouble(m -> m.get("critic_next_batch_ev") instanceof Number n ? n.doubleValue() : Double.NaN)
                .toArray();
    }

    /** Held-out success of the policy as it is now (the same episodes as every evaluation of the run). */
    public Evaluation evaluate() {
        return new Evaluation(nextIteration - 1, episodes,
                Evaluator.success(evaluator.evaluate(collector, evaluationPolicy)));
    }

    /** Held-out success at an evaluation point. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Evaluation(int iteration, long episodes, Confidence.Interval success) {}

    private Map<String, Object> iteration(int i) {
        long seed = seed(i, 0);
        long start = System.nanoTime();
        PhaseTimes times = new PhaseTimes();
        GenerationClock clock = policy.model().generationClock();
        long prefill = clock.prefillNanos();
        long decode = clock.decodeNanos();
        policy.setVersion(i);
        learner.optimizer().setLearningRate(settings.lrAt(i));
        BatchSource.Batch collected = timed(times, Phase.COLLECT, () -> source.next(i, policy, seed(i, 1), times));
        List<Delivery> deliveries = collected.deliveries();
        List<Trajectory> batch = deliveries.stream().map(Delivery::trajectory).toList();
        unacknowledged.addAll(deliveries);
        episodes += collected.stats().attempted();

        // Monte Carlo values from forks replace the critic's in the credit rule; their rollouts are episodes too.
        Optional<Collector.ForkValues> forked = plugins.credit().filter(ProgressCredit::forks).map(credit ->
                timed(times, Phase.FORKS, () -> forkValues(batch, credit.forkRollouts(), seed(i, 3), times)));
        // A critic is fitted before its first use, so that no iteration builds rewards from an untrained one.
        boolean firstFit = !values.fitted();
        ValueEstimator.Report early = firstFit ? timed(times, Phase.CRITIC_FIT, () -> values.fit(batch, seed)) : null;
        List<double[]> predicted = timed(times, Phase.VALUES, () -> values.values(batch));
        // What the rewards are built from: the critic's values on a batch it has not been fitted on.
        double nextBatchEv = firstFit ? Double.NaN : values.explainedVariance(batch, predicted);
        List<StepAdvantages> advantages = new ArrayList<>();
        List<LearnedShaper.Fit> shaperFits = new ArrayList<>();
        List<EpisodeRewards> rewards = timed(times, Phase.REWARDS, () -> {
            // Learned shapers learn from this batch's outcomes before they shape it (PRIME's update-then-reward order).
            shaperFits.addAll(synthesis.fit(batch, predicted, seed(i, 2)));
            List<EpisodeRewards> r = synthesis.apply(batch, predicted);
            List<StepAdvantages> outcome = plugins.algorithm().advantages(r);
            List<double[]> stateValues = forked.map(f -> measuredOrPredicted(f.values(), predicted)).orElse(predicted);
            advantages.addAll(plugins.credit().map(c -> c.apply(outcome, batch, stateValues, plugins.gamma()))
                    .orElse(outcome));
            return r;
        });
        // An algorithm with a KL term measures it during the update; otherwise measure it here, before the update.
        double kl = plugins.algorithm().usesReference() ? Double.NaN
                : timed(times, Phase.KL, () -> learner.referenceKl(batch));
        Learner.Stats update = timed(times, Phase.UPDATE,
                () -> learner.update(plugins.algorithm(), batch, advantages, seed, times));
        if (plugins.algorithm().usesReference()) {
            kl = update.mean("kl");
        }
        ValueEstimator.Report fit = firstFit ? early : timed(times, Phase.CRITIC_FIT, () -> values.fit(batch, seed));
        policy.setVersion(i + 1);
        source.published(policy);
        if (settings.checkpointEvery() == 0) {
            // No checkpoint will hold these receipts, so no resume can replay them: settle them now, or a run without
            // checkpoints holds every trajectory it trained on (here and in the buffer) until it ends.
            source.acknowledge(unacknowledged);
            unacknowledged.clear();
        }

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("iteration", i);
        m.put("episodes", episodes);
        m.put("policy_version", i + 1);
        Metrics.outcomes(m, "train", batch);
        m.put("train_uniform_groups", Metrics.uniformGroups(batch));
        m.put("start_value_ev_bound", Metrics.startValueEvBound(batch));
        m.put("kl_to_reference", kl);
        m.put("policy_loss", update.mean("loss"));
        m.put("clip_fraction", update.mean("clip_fraction"));
        m.put("entropy", update.mean("entropy"));
        m.put("grad_norm", update.mean("grad_norm"));
        m.put("updates", update.updates());
        m.put("updates_skipped", update.skipped());
        m.put("critic_train_loss", fit.fit().trainLoss());
        m.put("critic_heldout_loss", fit.fit().heldOutLoss());
        m.put("critic_heldout_ev", fit.fit().explainedVariance());
        m.put("critic_next_batch_ev", nextBatchEv);
        forked.ifPresent(f -> {
            m.put("fork_rollouts", f.stats().attempted());
            m.put("fork_values_missing", missing(f.values()));
            // how far the critic is from the rollouts' unbiased values on the states it shaped
            m.put("critic_fork_ev", agreement(f.values(), predicted));
        });
        m.put("critic_calibration_error", fit.calibrationError());
        m.put("critic_epochs", fit.fit().epochs());
        m.put("value_by_step", Metrics.meanByStep(predicted));
        m.put("critic_value_invalid_state", Metrics.meanValueOnInvalidStates(batch, predicted));
        m.put("shaper_fit_loss", shaperFits.stream().mapToDouble(LearnedShaper.Fit::loss).filter(Double::isFinite)
                .average().orElse(Double.NaN));
        Metrics.rewards(m, batch, rewards);
        m.put("episodes_per_s", collected.stats().attempted() / Math.max(1e-9, collected.stats().seconds()));
        m.put("tokens_per_s", collected.stats().generatedTokens() / Math.max(1e-9, collected.stats().seconds()));
        m.put("train_tokens_per_s", update.tokens() / Math.max(1e-9, update.seconds()));
        m.put("agent_steps", batch.stream().mapToInt(Trajectory::length).sum());
        m.put("prompt_tokens", batch.stream().flatMap(t -> t.steps().stream())
                .mapToLong(s -> s.promptTokenIds().length).sum());
        m.put("generated_tokens", collected.stats().generatedTokens());
        m.put("update_tokens", update.tokens());
        m.put("failures", Metrics.failures(collected.stats()));
        m.put("deliveries_held", unacknowledged.size());
        m.putAll(collected.metrics());
        boolean evaluate = settings.evalEvery() > 0 && ((i + 1) % settings.evalEvery() == 0 || i + 1 == settings.iterations());
        if (evaluate && settings.evalEpisodes() > 0) {
            Collector.Result eval = timed(times, Phase.EVALUATE,
                    () -> evaluator.evaluate(collector, evaluationPolicy, times));
            Metrics.outcomes(m, "heldout", eval.trajectories(), eval.stats().attempted());
        }
        m.put("alarm_value_without_success", alarm(m, true));
        times.add(Phase.PREFILL, clock.prefillNanos() - prefill);
        times.add(Phase.DECODE, clock.decodeNanos() - decode);
        timed(times, Phase.WRITE, () -> {
            writeSamples(i, batch, predicted, rewards, advantages);
            return null;
        });
        m.put("seconds", (System.nanoTime() - start) / 1e9);
        m.putAll(times.secondsByName());
        totals.addAll(times);
        run.appendMetrics(m);
        listener.iteration(i, settings.iterations(), m);
        // After the metrics line: a crash in between leaves a line that resume cuts, never a checkpoint without one.
        boolean checkpoint = settings.checkpointEvery() > 0
                && ((i + 1) % settings.checkpointEvery() == 0 || i + 1 == settings.iterations());
        if (checkpoint) {
            long written = System.nanoTime();
            checkpoint(i);
            checkpointNanos += System.nanoTime() - written;
            LOG.debug("checkpoint of iteration {} written in {} s", i, (System.nanoTime() - written) / 1e9);
        }
        return m;
    }

    /** V(s) of every state of the batch from rollouts on forks; adds the rollouts to the run's episodes. */
    private Collector.ForkValues forkValues(List<Trajectory> batch, int rollouts, long seed, PhaseTimes times) {
        List<Task> of = batch.stream().map(t -> trainTasks.get(t.taskId())).toList();
        if (of.contains(null)) {
            throw new IllegalStateException("a trajectory's task is not among the run's training tasks: "
                    + batch.stream().map(Trajectory::taskId).filter(id -> !trainTasks.containsKey(id)).findFirst()
                    .orElseThrow());
        }
        Collector.ForkValues values = collector.forkValues(batch, of, rollouts, policy, seed, plugins.gamma(), times);
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

    /** Supervised warm start from the environment's demonstrations, if it can demonstrate and one is asked for. */
    private void warmStart() {
        if (settings.warmStartEpisodes() == 0 || settings.warmStartEpochs() == 0) {
            return;
        }
        listener.phase("warm start");
        List<EpisodeSpec> specs = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed(0, WARM_START_STREAM));
        for (int k = 0; k < settings.warmStartEpisodes(); k++) {
            Task task = tasks.train().get(k % tasks.train().size());
            specs.add(new EpisodeSpec("demo-" + k, task, random.nextLong(), "demo-" + k));
        }
        List<Collector.Demonstration> demos = collector.demonstrations(specs);
        if (demos.isEmpty()) {
            LOG.info("environment '{}' gave no demonstrations; no warm start", plugins.environment().name());
            return;
        }
        List<int[]> prompts = new ArrayList<>();
        List<int[]> completions = new ArrayList<>();
        for (Collector.Demonstration d : demos) {
            prompts.add(policy.demonstrationPrompt(d));
            completions.add(policy.completionTokens(d.action()));
        }
        Learner.Stats stats;
        // The optimizer's moments are native memory: freed as soon as the warm start is done.
        try (AdamW adam = new AdamW(settings.warmStartLr(), 0.9, 0.999, 1e-8, settings.weightDecay())) {
            Learner warm = new Learner(policy.model(), Optional.empty(), adam, settings.warmStartEpochs(),
                    settings.miniBatch(), settings.maxGradNorm());
            stats = warm.supervise(prompts, completions, seed(0, WARM_START_STREAM));
        }
        LOG.info("warm start on {} demonstrated steps: {} updates, final mean NLL {}", prompts.size(),
                stats.updates(), stats.mean("loss"));
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
    private static Optional<Checkpoint.Lora> loraOf(LlamaModel model, PolicySettings settings) {
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

    private long seed(long iteration, long stream) {
        return new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + iteration * 0xBF58476D1CE4E5B9L + stream)
                .nextLong();
    }

    /** The first trajectories of the batch, each step with the V(s), dense reward and advantage it was trained with. */
    private void writeSamples(int iteration, List<Trajectory> batch, List<double[]> values, List<EpisodeRewards> rewards,
                              List<StepAdvantages> advantages) {
        int n = Math.min(batch.size(), settings.sampleTrajectories());
        if (n == 0) {
            return;
        }
        List<TrajectoryFiles.StepValues> annotations = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            annotations.add(new TrajectoryFiles.StepValues(values.get(k), rewards.get(k).rewards(),
                    advantages.get(k).advantages()));
        }
        TrajectoryFiles.write(run.trajectories().resolve(String.format("iter-%05d.jsonl.gz", iteration)),
                batch.subList(0, n), annotations);
    }

    /** Feeds the alarm one iteration's figures (also the resumed ones, read back from the metrics). */
    private boolean alarm(Map<String, Object> m, boolean log) {
        Object byStep = m.get("value_by_step");
        double startValue = byStep instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Number v
                ? v.doubleValue() : Double.NaN;
        double dense = m.get("dense_return_mean") instanceof Number d ? d.doubleValue() : Double.NaN;
        double success = m.get("train_success") instanceof Number x ? x.doubleValue() : Double.NaN;
        HackingAlarm.Verdict verdict = hackingAlarm.observe(startValue, dense, success);
        if (verdict.fired() && log) {
            LOG.warn("reward-hacking alarm: {}", verdict.reason());
        }
        return verdict.fired();
    }

    private static List<Evaluation> evaluationsIn(Map<String, Object> m) {
        if (!(m.get("heldout_success") instanceof Number success)) {
            return List.of();
        }
        return List.of(new Evaluation(((Number) m.get("iteration")).intValue(), ((Number) m.get("episodes")).longValue(),
                new Confidence.Interval(success.doubleValue(), ((Number) m.get("heldout_success_low")).doubleValue(),
                        ((Number) m.get("heldout_success_high")).doubleValue())));
    }

    @Override
    public void close() {
        source.close();
        collector.close();
        learner.optimizer().close();
        reference.ifPresent(LlamaModel::close);
        owned.forEach(LlamaModel::close);
        policy.model().close();
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

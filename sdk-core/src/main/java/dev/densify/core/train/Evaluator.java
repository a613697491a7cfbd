package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Success on held-out tasks: the same episodes (tasks and seeds derived from one seed) every time, so that an
 * evaluation curve compares like with like. Dropped episodes count as failures.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Evaluator {
    private final List<EpisodeSpec> specs = new ArrayList<>();
    private final long seed;

    public Evaluator(TaskSet tasks, int episodes, long seed) {
        List<Task> heldOut = tasks.heldOut().isEmpty() ? tasks.train() : tasks.heldOut();
        SplittableRandom random = new SplittableRandom(seed);
        for (int k = 0; k < episodes; k++) {
            Task task = heldOut.get(k % heldOut.size());
            specs.add(new EpisodeSpec("eval-" + k, task, random.nextLong(), "eval-" + k));
        }
        this.seed = seed;
    }

    public Collector.Result evaluate(Collector collector, ActionPolicy policy) {
        return evaluate(collector, policy, new PhaseTimes());
    }

    public Collector.Result evaluate(Collector collector, ActionPolicy policy, PhaseTimes times) {
        return collector.collect(specs, policy, seed, times);
    }

    /** Episodes pass@k collects at once: enough for a full batch, few enough to bound the memory of one. */
    static final int PASS_AT_K_BATCH = 64;
    /**
     * The seed of every pass@k measurement under a configuration: the base, every run and every seed of an ablation
     * attempt the same tasks from the same starts, so that their differences are the policies'.
     */
    static final long PASS_AT_K_SEED = 0x7061737340L;

    /**
     * pass@k on the held-out tasks (the training tasks when there are none): every task attempted {@code samples}
     * times from one start (one reset seed per task, derived from {@code seed}), the policy sampling each attempt
     * on its own. Dropped attempts count as failures.
     */
    public static PassAtK.Report passAtK(TaskSet tasks, int samples, List<Integer> ks, long seed, Collector collector,
                                         ActionPolicy policy) {
        if (samples < 1) {
            throw new IllegalArgumentException("pass@k needs at least 1 sample per task, got " + samples);
        }
        List<Task> heldOut = tasks.heldOut().isEmpty() ? tasks.train() : tasks.heldOut();
        SplittableRandom random = new SplittableRandom(seed);
        List<EpisodeSpec> specs = new ArrayList<>();
        java.util.Map<String, Integer> taskOf = new java.util.HashMap<>();
        for (int t = 0; t < heldOut.size(); t++) {
            long start = random.nextLong();
            for (int j = 0; j < samples; j++) {
                String id = "pass-" + t + "-" + j;
                specs.add(new EpisodeSpec(id, heldOut.get(t), start, "pass-" + t));
                taskOf.put(id, t);
            }
        }
        int[] successes = new int[heldOut.size()];
        for (int from = 0; from < specs.size(); from += PASS_AT_K_BATCH) {
            List<EpisodeSpec> batch = specs.subList(from, Math.min(specs.size(), from + PASS_AT_K_BATCH));
            for (var trajectory : collector.collect(batch, policy, seed + from).trajectories()) {
                if (trajectory.outcome().success()) {
                    successes[taskOf.get(trajectory.id())]++;
                }
            }
        }
        return PassAtK.of(successes, samples, ks, seed);
    }

    /**
     * pass@k of a model under a run's configuration (its environment, task sets, sampling at the policy's
     * temperature, collector deadlines) on the same episodes whatever the run's seed ({@link #PASS_AT_K_SEED}):
     * what {@code densify eval --pass-at-k} and the ablation measure.
     */
    public static PassAtK.Report passAtK(ComposedConfig composed, PluginRegistry registry, LlamaModel model,
                                         List<Integer> ks, int samples) {
        TrainerSettings trainer = composed.group("trainer").bind(TrainerSettings.class);
        PolicySettings settings = composed.group("policy").bind(PolicySettings.class);
        EnvironmentProvider env = registry.provider(PluginKind.ENV, composed.selected("env"));
        SamplingOptions sampling = new SamplingOptions(settings.maxActionTokens(), settings.temperature(),
                settings.topK(), settings.topP(), List.of(AgentPrompt.ACTION_END));
        try (Collector collector = new Collector(env, composed.group("env"), trainer.parallelism(),
                Duration.ofMillis(trainer.stepTimeoutMs()), trainer.maxSteps(), 1.0)) {
            LanguagePolicy policy = new LanguagePolicy(model, sampling, trainer.criticFeatureTokens());
            return passAtK(env.tasks(composed.group("env")), samples, ks, PASS_AT_K_SEED, collector, policy);
        }
    }

    /** The success rate with its Wilson 95% interval. */
    public static Confidence.Interval success(Collector.Result result) {
        int successes = (int) result.trajectories().stream().filter(t -> t.outcome().success()).count();
        return Confidence.wilson(successes, result.stats().attempted());
    }
}

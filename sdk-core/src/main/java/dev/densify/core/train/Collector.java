package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.prompt.AgentContext;
import dev.densify.core.prompt.Turn;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs many episodes in lock step: at every step, one batched generation answers all live episodes (each seen as its
 * episode so far: instruction, earlier steps with their generated ids, current observation), then their
 * environments step in parallel, each call under a deadline. A failing episode is dropped with a counted reason
 * and the others go on; if too many fail, the collection stops with a clear error.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Collector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);

    private final EnvironmentProvider provider;
    private final PluginConfig environmentConfig;
    private final ExecutorService workers;
    private final ExecutorService pluginCalls;
    private final Duration deadline;
    private final int maxSteps;
    private final double maxFailureFraction;

    /**
     * @param maxSteps the collector's own step cap (0 = the environment's budget only); a cut episode is truncated
     * @param maxFailureFraction above this fraction of dropped episodes the collection fails
     */
    public Collector(EnvironmentProvider provider, PluginConfig environmentConfig, int parallelism,
                     Duration deadline, int maxSteps, double maxFailureFraction) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.environmentConfig = Objects.requireNonNull(environmentConfig, "environmentConfig");
        this.workers = Executors.newFixedThreadPool(parallelism, daemon("densify-episode"));
        // Plugin calls run on their own unbounded pool: a hung call holds one thread, never a worker.
        this.pluginCalls = Executors.newCachedThreadPool(daemon("densify-env-call"));
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.maxSteps = maxSteps;
        this.maxFailureFraction = maxFailureFraction;
    }

    /** The finished trajectories of the episodes that did not fail, in the order of {@code specs}. */
    public Result collect(List<EpisodeSpec> specs, ActionPolicy policy, long seed) {
        return collect(specs, policy, seed, new PhaseTimes());
    }

    /** As {@link #collect(List, ActionPolicy, long)}, adding the environments' time to {@code times}. */
    public Result collect(List<EpisodeSpec> specs, ActionPolicy policy, long seed, PhaseTimes times) {
        long start = System.nanoTime();
        var failures = CollectionStats.emptyFailures();
        List<Episode> live = new ArrayList<>();
        List<Episode> all = new ArrayList<>();
        List<Callable<Void>> resets = new ArrayList<>();
        for (EpisodeSpec spec : specs) {
            Episode episode = new Episode(spec);
            all.add(episode);
            resets.add(() -> {
                episode.open(provider, environmentConfig, pluginCalls, deadline);
                episode.observation = episode.environment.reset(spec.seed());
                episode.rendered = episode.environment.render();
                return null;
            });
        }
        times.time(PhaseTimes.Phase.ENV, () -> runAll(all, resets, failures));
        for (Episode e : all) {
            if (e.failure == null) {
                live.add(e);
            }
        }
        long tokens = 0;
        int stepIndex = 0;
        while (!live.isEmpty()) {
            List<AgentContext> episodes = live.stream().map(Episode::context).toList();
            List<SampledAction> actions = policy.actInContext(episodes, seed * 1_000_003L + stepIndex);
            List<Callable<Void>> steps = new ArrayList<>();
            for (int i = 0; i < live.size(); i++) {
                Episode episode = live.get(i);
                SampledAction action = actions.get(i);
                tokens += action.tokenIds().length;
                steps.add(() -> {
                    episode.advance(action, maxSteps);
                    return null;
                });
            }
            List<Episode> stepping = live;
            times.time(PhaseTimes.Phase.ENV, () -> runAll(stepping, steps, failures));
            live.removeIf(e -> e.failure != null || e.finished);
            stepIndex++;
        }
        List<Trajectory> trajectories = new ArrayList<>();
        for (Episode e : all) {
            if (e.failure == null) {
                trajectories.add(e.trajectory(policy.version()));
            }
            e.close();
        }
        int failed = specs.size() - trajectories.size();
        var stats = new CollectionStats(specs.size(), failures, (System.nanoTime() - start) / 1e9, tokens);
        if (!specs.isEmpty() && failed > maxFailureFraction * specs.size()) {
            throw new IllegalStateException(String.format(
                    "%d of %d episodes of environment '%s' failed (%s), more than the allowed fraction %.2f"
                            + " (trainer.max_failure_fraction)", failed, specs.size(), provider.name(), failures,
                    maxFailureFraction));
        }
        return new Result(trajectories, stats);
    }

    /**
     * One demonstrated step: what the agent saw and what the expert did, with the task's instruction and the
     * episode's earlier demonstrated steps (oldest first), so that its prompt can show the same history as the
     * policy's own prompts do.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Demonstration(String instruction, List<Pair> earlier, String observation, String action) {
        public Demonstration {
            earlier = List.copyOf(earlier);
        }

        /** An earlier step of the demonstration. */
        @API(status = API.Status.EXPERIMENTAL, since = "0.2")
        public record Pair(String observation, String action) {}
    }

    /**
     * Follows the environment's expert plan in each episode and returns every (observation, action) pair; episodes
     * of an environment that cannot demonstrate, or whose plan fails, contribute nothing.
     */
    public List<Demonstration> demonstrations(List<EpisodeSpec> specs) {
        List<Episode> episodes = specs.stream().map(Episode::new).toList();
        List<List<Demonstration>> perEpisode = new ArrayList<>();
        List<Callable<Void>> calls = new ArrayList<>();
        for (Episode episode : episodes) {
            List<Demonstration> demos = new ArrayList<>();
            perEpisode.add(demos);
            calls.add(() -> {
                episode.open(provider, environmentConfig, pluginCalls, deadline);
                Observation observation = episode.environment.reset(episode.spec.seed());
                List<Demonstration.Pair> earlier = new ArrayList<>();
                for (String action : episode.environment.demonstrate().orElse(List.of())) {
                    demos.add(new Demonstration(episode.spec.task().instruction(), earlier, observation.text(), action));
                    earlier.add(new Demonstration.Pair(observation.text(), action));
                    StepResult result = episode.environment.step(action);
                    observation = result.observation();
                    if (result.done()) {
                        break;
                    }
                }
                return null;
            });
        }
        runAll(episodes, calls, CollectionStats.emptyFailures());
        List<Demonstration> out = new ArrayList<>();
        for (int i = 0; i < episodes.size(); i++) {
            if (episodes.get(i).failure == null) {
                out.addAll(perEpisode.get(i));
            }
            episodes.get(i).close();
        }
        return out;
    }

    /** Runs one call per episode in parallel and records each failure on its episode. */
    private void runAll(List<Episode> episodes, List<Callable<Void>> calls, Map<EpisodeFailure.Reason, Integer> failures) {
        List<Future<Void>> futures = new ArrayList<>();
        for (Callable<Void> call : calls) {
            futures.add(workers.submit(call));
        }
        for (int i = 0; i < futures.size(); i++) {
            Episode episode = episodes.get(i);
            try {
                futures.get(i).get();
            } catch (ExecutionException e) {
                EpisodeFailure failure = e.getCause() instanceof EpisodeFailure f ? f
                        : new EpisodeFailure(EpisodeFailure.Reason.EXCEPTION, "environment '" + provider.name()
                                + "', task " + episode.spec.task().id() + ": " + e.getCause(), e.getCause());
                episode.failure = failure;
                failures.merge(failure.reason(), 1, Integer::sum);
                LOG.warn("dropped episode {}: {}", episode.spec.id(), failure.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("collection interrupted", e);
            }
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        pluginCalls.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The outcome of one collection. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Result(List<Trajectory> trajectories, CollectionStats stats) {
        public Result {
            trajectories = List.copyOf(trajectories);
        }
    }

    /** One live episode: its environment, current observation and the steps so far. */
    private static final class Episode {
        final EpisodeSpec spec;
        final List<Step> steps = new ArrayList<>();
        GuardedEnvironment environment;
        Observation observation;
        String rendered;
        boolean finished;
        boolean terminated;
        Outcome outcome;
        EpisodeFailure failure;

        Episode(EpisodeSpec spec) {
            this.spec = spec;
        }

        void open(EnvironmentProvider provider, PluginConfig config, ExecutorService calls, Duration deadline) {
            environment = new GuardedEnvironment(provider.create(config), provider.name(), spec.task(), calls, deadline);
        }

        void advance(SampledAction action, int maxSteps) {
            StepResult result = environment.step(action.action());
            steps.add(new Step(observation.text(), observation.stateKey(), rendered, action.promptTokenIds(),
                    action.action(), action.tokenIds(), action.logProbs(), result.reward(), result.done(),
                    result.info(), observation.anchorKey()));
            observation = result.observation();
            rendered = environment.render();
            boolean cut = maxSteps > 0 && steps.size() >= maxSteps;
            if (result.done() || cut) {
                finished = true;
                // A cut by the collector's own cap is a limit the state does not show: the last state bootstraps.
                terminated = result.terminal();
                outcome = environment.score();
            }
        }

        /** The episode so far as the policy's prompt shows it: every earlier step with its generated ids. */
        AgentContext context() {
            List<Turn> turns = new ArrayList<>(steps.size());
            for (Step s : steps) {
                turns.add(new Turn(s.observation(), s.actionTokenIds()));
            }
            return new AgentContext(spec.task().instruction(), turns, observation.text());
        }

        Trajectory trajectory(long policyVersion) {
            return new Trajectory(spec.id(), spec.task().id(), spec.groupId(), spec.seed(), policyVersion, steps,
                    observation.text(), observation.stateKey(), outcome, terminated);
        }

        void close() {
            if (environment != null) {
                environment.close();
            }
        }
    }
}

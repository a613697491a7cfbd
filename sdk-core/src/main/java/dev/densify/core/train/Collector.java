package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
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
        long tokens = play(live, policy, seed, times, failures);
        List<Trajectory> trajectories = new ArrayList<>();
        for (Episode e : all) {
            if (e.failure == null) {
                trajectories.add(e.trajectory(policy.version()));
            }
            e.close();
        }
        var stats = new CollectionStats(specs.size(), failures, (System.nanoTime() - start) / 1e9, tokens);
        requireFewFailures(specs.size() - trajectories.size(), specs.size(), "episodes", failures);
        return new Result(trajectories, stats);
    }

    /**
     * Monte Carlo values from forks (VinePPO, Kazemnejad et al. 2024): from every state s_t an action was taken in,
     * {@code rollouts} episodes of {@code policy} continue on forks of the environment, and V(s_t) is the mean of
     * their discounted returns from t, an unbiased estimate of the policy's value there. The state is reached again
     * by resetting with the episode's seed and replaying its actions (the contract fixes an episode by its task,
     * seed and actions); a replay that does not reproduce the recorded observations measures nothing past them.
     * Each rollout is an episode: {@link ForkValues#stats()} counts them.
     *
     * @param tasks the task of each trajectory, in order
     * @param seed the rollouts' sampling seed
     * @return per trajectory V(s_0)..V(s_T): V(s_T) = 0 when the episode terminated; NaN when it was cut (a state
     *     the rollouts do not measure) and at a state none of whose rollouts finished
     */
    public ForkValues forkValues(List<Trajectory> batch, List<Task> tasks, int rollouts, ActionPolicy policy, long seed,
                                 double gamma, PhaseTimes times) {
        if (tasks.size() != batch.size()) {
            throw new IllegalArgumentException(batch.size() + " trajectories but " + tasks.size() + " tasks");
        }
        if (rollouts < 1) {
            throw new IllegalArgumentException("rollouts must be positive, got " + rollouts);
        }
        long start = System.nanoTime();
        var failures = CollectionStats.emptyFailures();
        List<Episode> replays = new ArrayList<>();
        List<List<Fork>> forksOf = new ArrayList<>();
        List<Callable<Void>> walks = new ArrayList<>();
        for (int j = 0; j < batch.size(); j++) {
            Trajectory trajectory = batch.get(j);
            EpisodeSpec spec = new EpisodeSpec(trajectory.id(), tasks.get(j), trajectory.seed(), trajectory.groupId());
            Episode replay = new Episode(spec);
            List<Fork> forks = new ArrayList<>();
            replays.add(replay);
            forksOf.add(forks);
            walks.add(() -> {
                replay.open(provider, environmentConfig, pluginCalls, deadline);
                Observation observation = replay.environment.reset(spec.seed());
                List<Step> steps = trajectory.steps();
                for (int t = 0; t < steps.size(); t++) {
                    if (!observation.text().equals(steps.get(t).observation())) {
                        throw new EpisodeFailure(EpisodeFailure.Reason.INVALID_OBSERVATION, "environment '"
                                + provider.name() + "', task " + spec.task().id() + ": replaying episode "
                                + trajectory.id() + " with its seed and actions gave another observation at step "
                                + t + ", so its states cannot be forked", null);
                    }
                    for (int k = 0; k < rollouts; k++) {
                        Episode fork = new Episode(new EpisodeSpec(trajectory.id() + "/fork-" + t + "-" + k,
                                spec.task(), spec.seed(), spec.groupId()));
                        fork.environment = replay.environment.fork();
                        fork.observation = observation;
                        fork.rendered = steps.get(t).rendered();
                        fork.steps.addAll(steps.subList(0, t));
                        forks.add(new Fork(t, fork));
                    }
                    observation = replay.environment.step(steps.get(t).action()).observation();
                }
                return null;
            });
        }
        times.time(PhaseTimes.Phase.ENV, () -> runAll(replays, walks, failures));
        List<Episode> live = new ArrayList<>();
        forksOf.forEach(forks -> forks.forEach(f -> live.add(f.episode())));
        long tokens = play(new ArrayList<>(live), policy, seed, times, failures);
        List<double[]> values = new ArrayList<>();
        int finished = 0;
        for (int j = 0; j < batch.size(); j++) {
            Trajectory trajectory = batch.get(j);
            double[] sum = new double[trajectory.length() + 1];
            int[] count = new int[trajectory.length() + 1];
            for (Fork f : forksOf.get(j)) {
                if (f.episode().failure == null) {
                    sum[f.from()] += Returns.discounted(Returns.sparseRewards(f.episode().trajectory(policy.version())),
                            gamma)[f.from()];
                    count[f.from()]++;
                    finished++;
                }
            }
            double[] v = new double[trajectory.length() + 1];
            for (int t = 0; t < trajectory.length(); t++) {
                v[t] = count[t] > 0 ? sum[t] / count[t] : Double.NaN;
            }
            v[trajectory.length()] = trajectory.terminated() ? 0 : Double.NaN;
            values.add(v);
        }
        live.forEach(Episode::close);
        replays.forEach(Episode::close);
        var stats = new CollectionStats(live.size(), failures, (System.nanoTime() - start) / 1e9, tokens);
        requireFewFailures(live.size() - finished, live.size(), "fork rollouts", failures);
        return new ForkValues(values, stats);
    }

    /** Monte Carlo values of a batch's states and the statistics of the rollouts that measured them. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record ForkValues(List<double[]> values, CollectionStats stats) {
        public ForkValues {
            values = List.copyOf(values);
        }
    }

    /** A rollout continuing an episode from its state s_from. */
    private record Fork(int from, Episode episode) {}

    /** Steps the live episodes in lock step until each has finished or failed; returns the tokens generated. */
    private long play(List<Episode> live, ActionPolicy policy, long seed, PhaseTimes times,
                      Map<EpisodeFailure.Reason, Integer> failures) {
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
        return tokens;
    }

    private void requireFewFailures(int failed, int attempted, String what,
                                    Map<EpisodeFailure.Reason, Integer> failures) {
        if (attempted > 0 && failed > maxFailureFraction * attempted) {
            throw new IllegalStateException(String.format(
                    "%d of %d %s of environment '%s' failed (%s), more than the allowed fraction %.2f"
                            + " (trainer.max_failure_fraction)", failed, attempted, what, provider.name(), failures,
                    maxFailureFraction));
        }
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

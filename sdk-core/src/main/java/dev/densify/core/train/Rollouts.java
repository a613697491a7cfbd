package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Where a run's episodes are played: the environment's tasks (computed once) and the collector that plays them
 * under the trainer's deadlines and parallelism. One home for the learner, the rollout workers and the warm start.
 */
@API(status = API.Status.INTERNAL, since = "0.2")
public final class Rollouts implements AutoCloseable {
    private static final long EVAL_STREAM = 0x5EED_0002L;

    private final String environment;
    private final TaskSet tasks;
    private final Map<String, Task> trainTasks = new LinkedHashMap<>();
    private final Collector collector;

    /** @throws IllegalArgumentException when the environment has no training tasks */
    public Rollouts(EnvironmentProvider environment, PluginConfig environmentConfig, TrainerSettings settings) {
        this.environment = environment.name();
        this.tasks = Objects.requireNonNull(environment.tasks(environmentConfig), "tasks");
        if (tasks.train().isEmpty()) {
            throw new IllegalArgumentException("environment '" + environment.name() + "' has no training tasks");
        }
        tasks.train().forEach(t -> trainTasks.put(t.id(), t));
        this.collector = new Collector(environment, environmentConfig, settings.parallelism(),
                Duration.ofMillis(settings.stepTimeoutMs()), settings.maxSteps(), settings.maxFailureFraction());
    }

    /** The environment's name, for messages. */
    public String environment() {
        return environment;
    }

    public TaskSet tasks() {
        return tasks;
    }

    public Collector collector() {
        return collector;
    }

    /** The training task of that id; empty for one the environment does not have. */
    Optional<Task> trainTask(String id) {
        return Optional.ofNullable(trainTasks.get(id));
    }

    /**
     * The held-out evaluation of {@code episodes} episodes: the same episodes whatever the run's seed, so that the
     * runs of an ablation compare on the same episodes, paired.
     */
    Evaluator evaluator(int episodes) {
        return new Evaluator(tasks, episodes, new SplittableRandom(EVAL_STREAM).nextLong());
    }

    @Override
    public void close() {
        collector.close();
    }
}

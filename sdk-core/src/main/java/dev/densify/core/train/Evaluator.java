package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
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

    /** The success rate with its Wilson 95% interval. */
    public static Confidence.Interval success(Collector.Result result) {
        int successes = (int) result.trajectories().stream().filter(t -> t.outcome().success()).count();
        return Confidence.wilson(successes, result.stats().attempted());
    }
}

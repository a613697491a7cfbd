package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.TrajectoryBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The single-process source: collects each iteration's groups with the current policy, passes them through the
 * buffer (so that the path to the update is the same as with remote workers) and reads them straight back.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class LocalCollection implements BatchSource {
    private final Collector collector;
    private final TrajectoryBuffer buffer;
    private final TaskSet tasks;
    private final int groups;
    private final int groupSize;

    public LocalCollection(Collector collector, TrajectoryBuffer buffer, TaskSet tasks, int groups, int groupSize) {
        this.collector = Objects.requireNonNull(collector, "collector");
        this.buffer = Objects.requireNonNull(buffer, "buffer");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.groups = groups;
        this.groupSize = groupSize;
    }

    @Override
    public Batch next(int iteration, LanguagePolicy policy, long seed) {
        return next(iteration, policy, seed, new PhaseTimes());
    }

    @Override
    public Batch next(int iteration, LanguagePolicy policy, long seed, PhaseTimes times) {
        Collector.Result collected = collector.collect(specs(iteration, seed), policy, seed, times);
        collected.trajectories().forEach(buffer::append);
        return new Batch(take(collected.trajectories().size()), collected.stats(), Map.of());
    }

    /**
     * Groups of episodes of one training task each, drawn from the iteration's seed. The episodes of a group share
     * their reset seed, so they start from the same state and differ only in what the policy samples: comparing
     * them (GRPO's group baseline, GiGPO's anchor states) compares actions, not starts.
     */
    private List<EpisodeSpec> specs(int iteration, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<EpisodeSpec> specs = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            Task task = tasks.train().get(random.nextInt(tasks.train().size()));
            String group = "i" + iteration + "-g" + g;
            long reset = random.nextLong();
            for (int e = 0; e < groupSize; e++) {
                specs.add(new EpisodeSpec(group + "-e" + e, task, reset, group));
            }
        }
        return specs;
    }

    private List<Delivery> take(int count) {
        List<Delivery> out = new ArrayList<>();
        try {
            while (out.size() < count) {
                List<Delivery> got = buffer.take(count - out.size(), Duration.ofSeconds(1));
                if (got.isEmpty()) {
                    throw new IllegalStateException("the trajectory buffer returned " + out.size() + " of the "
                            + count + " trajectories just appended");
                }
                out.addAll(got);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the trajectory buffer", e);
        }
        return out;
    }

    @Override
    public void acknowledge(List<Delivery> deliveries) {
        buffer.acknowledge(deliveries);
    }

    @Override
    public void close() {
        buffer.close();
    }
}

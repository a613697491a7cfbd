package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.train.PhaseTimes.Phase;
import java.util.List;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * A finished iteration as its {@link IterationListener}s see it: the batch with what each step was trained with,
 * and the iteration's figures, which listeners before the metrics line may amend.
 */
@API(status = API.Status.INTERNAL, since = "0.2")
public final class IterationContext {
    private final int iteration;
    private final List<Trajectory> batch;
    private final List<double[]> values;
    private final List<EpisodeRewards> rewards;
    private final List<StepAdvantages> advantages;
    private final PhaseTimes times;
    private final long startNanos;
    private final BiConsumer<Phase, Runnable> timer;
    private IterationMetrics metrics;

    /**
     * @param times the iteration's phase times so far
     * @param startNanos when the iteration started ({@link System#nanoTime})
     * @param timer runs work as one of the iteration's timed phases
     */
    IterationContext(int iteration, List<Trajectory> batch, List<double[]> values, List<EpisodeRewards> rewards,
                     List<StepAdvantages> advantages, IterationMetrics metrics, PhaseTimes times, long startNanos,
                     BiConsumer<Phase, Runnable> timer) {
        this.iteration = iteration;
        this.batch = List.copyOf(batch);
        this.values = List.copyOf(values);
        this.rewards = List.copyOf(rewards);
        this.advantages = List.copyOf(advantages);
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.times = Objects.requireNonNull(times, "times");
        this.startNanos = startNanos;
        this.timer = Objects.requireNonNull(timer, "timer");
    }

    public int iteration() {
        return iteration;
    }

    /** The trajectories trained on, in the batch's order. */
    public List<Trajectory> batch() {
        return batch;
    }

    /** V(s) of every state of each trajectory, as the rewards were built from. */
    public List<double[]> values() {
        return values;
    }

    /** The dense rewards each trajectory was trained with. */
    public List<EpisodeRewards> rewards() {
        return rewards;
    }

    /** The advantages each trajectory was trained with. */
    public List<StepAdvantages> advantages() {
        return advantages;
    }

    /** The iteration's figures as they stand: final once the metrics line is written. */
    public IterationMetrics metrics() {
        return metrics;
    }

    /** Replaces the figures, for a listener whose finding is part of the metrics line. */
    public void amend(UnaryOperator<IterationMetrics> change) {
        metrics = Objects.requireNonNull(change.apply(metrics), "amended metrics");
    }

    PhaseTimes times() {
        return times;
    }

    long startNanos() {
        return startNanos;
    }

    /** Runs {@code work} as the iteration's {@code phase}: timed, and named to the training listener as it starts. */
    public void timed(Phase phase, Runnable work) {
        timer.accept(phase, work);
    }
}

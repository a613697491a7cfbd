package dev.densify.core.train;

import dev.densify.api.API;

/** Hears about progress, for progress bars and logs; the trainer itself never prints. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface TrainingListener {
    TrainingListener NONE = new TrainingListener() {};

    /**
     * A phase of work started: "warm start", "iteration 3/20", then each of that iteration's own phases as it starts
     * ({@link PhaseTimes.Phase#label}: "collect", "values", "rewards", "kl", "update", "critic fit", "evaluate",
     * "write"; the ones an iteration skips are not named).
     */
    default void phase(String name) {}

    /** An iteration finished with these metrics (the line written to metrics.jsonl). */
    default void iteration(int iteration, int iterations, IterationMetrics metrics) {}
}

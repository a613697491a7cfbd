package dev.densify.api.env;

import dev.densify.api.API;

/** One episode at a time of a task domain. Implementations need not be thread-safe. */
@API(status = API.Status.STABLE, since = "0.1")
public interface Environment extends AutoCloseable {
    /** Starts an episode of the task; the same task and seed give the same episode. */
    Observation reset(Task task, long seed);
    /** Applies the agent's action text. Throws IllegalStateException after the episode is done. */
    StepResult step(String action);
    /** The sparse outcome of the episode so far; final once a step returned done. */
    Outcome score();
    /** An independent copy in the same state: stepping either never changes the other. */
    Environment fork();
    /** A human-readable picture of the current state, for logs and the trajectory browser. */
    String render();
    @Override default void close() {}
}

package dev.densify.core.train;

import dev.densify.api.API;

/**
 * Hears each finished iteration, in the order the trainer registered its listeners: a listener whose finding is a
 * figure of the metrics line comes before the line is written, one that must follow the line after it.
 */
@API(status = API.Status.INTERNAL, since = "0.2")
@FunctionalInterface
public interface IterationListener {
    void onIteration(IterationContext iteration);
}

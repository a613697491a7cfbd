package dev.densify.api.env;

import dev.densify.api.API;

/** Training tasks and held-out tasks; the two must be disjoint. */
@API(status = API.Status.STABLE, since = "0.1")
public record TaskSet(java.util.List<Task> train, java.util.List<Task> heldOut) {
    public TaskSet {
        train = java.util.List.copyOf(java.util.Objects.requireNonNull(train, "train"));
        heldOut = java.util.List.copyOf(java.util.Objects.requireNonNull(heldOut, "heldOut"));
    }
}

package dev.densify.api.env;

import dev.densify.api.API;

/** A task of an environment's domain: what the agent is asked to do, with generator metadata. */
@API(status = API.Status.STABLE, since = "0.1")
public record Task(String id, String instruction, java.util.Map<String, String> metadata) {
    public Task {
        java.util.Objects.requireNonNull(id, "id");
        java.util.Objects.requireNonNull(instruction, "instruction");
        metadata = java.util.Map.copyOf(java.util.Objects.requireNonNull(metadata, "metadata"));
    }
}

package dev.densify.api.env;

import dev.densify.api.API;

/** The sparse outcome of an episode: its reward and whether it counts as a success. */
@API(status = API.Status.STABLE, since = "0.1")
public record Outcome(double reward, boolean success) {}

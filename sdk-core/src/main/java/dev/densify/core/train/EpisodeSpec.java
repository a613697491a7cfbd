package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.env.Task;
import java.util.Objects;

/** One episode to run: the task, the reset seed, and the group it belongs to (same task, same iteration). */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record EpisodeSpec(String id, Task task, long seed, String groupId) {
    public EpisodeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(groupId, "groupId");
    }
}

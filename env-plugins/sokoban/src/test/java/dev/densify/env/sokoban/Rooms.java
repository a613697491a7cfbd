package dev.densify.env.sokoban;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.List;
import java.util.stream.Stream;

/** Rooms for tests: the default task sets' rooms. */
final class Rooms {
    static final TaskSet DEFAULT_TASKS = new SokobanProvider().tasks(PluginConfig.empty("env"));

    private Rooms() {
    }

    static List<Task> all() {
        return Stream.concat(DEFAULT_TASKS.train().stream(), DEFAULT_TASKS.heldOut().stream()).toList();
    }

    static Room of(Task task) {
        return RoomGenerator.generate(RoomSpec.of(task));
    }
}

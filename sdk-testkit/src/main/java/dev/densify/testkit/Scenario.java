package dev.densify.testkit;

import dev.densify.api.env.Task;
import java.util.List;

/**
 * One episode to try: a task, a reset seed and the agent's choices, each an index into the actions offered in the
 * state it is taken in (taken modulo their number), so that any list of choices is a valid sequence of actions.
 */
record Scenario(Task task, long seed, List<Integer> choices) {
    Scenario {
        choices = List.copyOf(choices);
    }

    Scenario withChoices(List<Integer> other) {
        return new Scenario(task, seed, other);
    }

    @Override
    public String toString() {
        return "task '" + task.id() + "', seed " + seed + ", choices " + choices;
    }
}

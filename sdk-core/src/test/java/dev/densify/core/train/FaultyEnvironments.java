package dev.densify.core.train;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.List;
import java.util.Map;

/**
 * A plugin-shaped fixture: a three-step corridor whose tasks name a fault ("throws", "hangs", "nan", "null") that
 * strikes on the second step, as a careless or broken third-party environment would.
 */
final class FaultyEnvironments implements EnvironmentProvider {
    @Override
    public String name() {
        return "faulty";
    }

    @Override
    public String description() {
        return "a corridor that fails on purpose";
    }

    @Override
    public Environment create(PluginConfig config) {
        return new Corridor();
    }

    @Override
    public TaskSet tasks(PluginConfig config) {
        return new TaskSet(List.of(task("ok"), task("throws"), task("hangs"), task("nan"), task("null")), List.of());
    }

    static Task task(String fault) {
        return new Task(fault, "walk to the end", Map.of());
    }

    private static final class Corridor implements Environment {
        private Task task;
        private int position;

        @Override
        public Observation reset(Task task, long seed) {
            this.task = task;
            this.position = 0;
            return observation();
        }

        @Override
        public StepResult step(String action) {
            if (position >= 3) {
                throw new IllegalStateException("episode is over");
            }
            position++;
            if (position == 2) {
                switch (task.id()) {
                    case "throws" -> throw new IllegalArgumentException("corridor collapsed");
                    case "hangs" -> {
                        try {
                            Thread.sleep(60_000);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    case "nan" -> {
                        return new StepResult(observation(), Double.NaN, false, Map.of());
                    }
                    case "null" -> {
                        return null;
                    }
                    default -> { }
                }
            }
            return new StepResult(observation(), 0, position == 3, Map.of());
        }

        private Observation observation() {
            return new Observation("position " + position, task.id() + "@" + position, List.of("forward"));
        }

        @Override
        public Outcome score() {
            return new Outcome(position == 3 ? 1 : 0, position == 3);
        }

        @Override
        public Environment fork() {
            Corridor copy = new Corridor();
            copy.task = task;
            copy.position = position;
            return copy;
        }

        @Override
        public String render() {
            return "." .repeat(position) + "@" + ".".repeat(3 - position);
        }
    }
}

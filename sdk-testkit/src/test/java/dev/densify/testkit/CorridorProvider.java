package dev.densify.testkit;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.TaskSet;
import java.util.List;

/** Provides corridors with one flaw, as demonstrable or plain environments. */
record CorridorProvider(Corridor.Flaw flaw, boolean demonstrable) implements EnvironmentProvider {

    @Override
    public String name() {
        return "corridor";
    }

    @Override
    public String description() {
        return "walk to the end of a corridor";
    }

    @Override
    public Environment create(PluginConfig config) {
        return demonstrable ? new DemonstrableCorridor(flaw) : new Corridor(flaw);
    }

    @Override
    public TaskSet tasks(PluginConfig config) {
        return new TaskSet(
                List.of(Corridor.task("train-4", 4), Corridor.task("train-5", 5), Corridor.task("train-6", 6)),
                List.of(Corridor.task("held-out-8", 8)));
    }
}

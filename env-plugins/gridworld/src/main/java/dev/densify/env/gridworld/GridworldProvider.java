package dev.densify.env.gridworld;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.TaskSet;
import java.util.Objects;

/** The {@code gridworld} environment: text mazes where keys open doors on the way to the goal. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GridworldProvider implements EnvironmentProvider {

    @Override
    public String name() {
        return "gridworld";
    }

    @Override
    public String description() {
        return "text mazes: pick up keys, open the doors they fit and reach the goal within a step budget";
    }

    /** The configuration is checked here too, so that a bad key fails before any episode; layouts come from tasks. */
    @Override
    public Environment create(PluginConfig config) {
        return new GridworldEnvironment(GridworldConfig.from(Objects.requireNonNull(config, "config")).view());
    }

    @Override
    public TaskSet tasks(PluginConfig config) {
        Objects.requireNonNull(config, "config");
        return TaskGenerator.generate(GridworldConfig.from(config), config.path());
    }
}

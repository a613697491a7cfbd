package dev.densify.env.sokoban;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.TaskSet;
import java.util.Objects;

/** The {@code sokoban} environment: push boxes onto goals in small generated rooms, where pushes cannot be undone. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class SokobanProvider implements EnvironmentProvider {

    @Override
    public String name() {
        return "sokoban";
    }

    @Override
    public String description() {
        return "Sokoban rooms made by reverse play: push every box onto a goal; dead ends are reported as invalid states";
    }

    @Override
    public Environment create(PluginConfig config) {
        SokobanConfig c = SokobanConfig.from(Objects.requireNonNull(config, "config"));
        return new SokobanEnvironment(c.endOnDeadEnd(), c.proveDeadEnds());
    }

    @Override
    public TaskSet tasks(PluginConfig config) {
        Objects.requireNonNull(config, "config");
        return TaskGenerator.generate(SokobanConfig.from(config), config.path());
    }
}

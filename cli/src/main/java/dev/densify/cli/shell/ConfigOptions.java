package dev.densify.cli.shell;

import dev.densify.api.API;
import dev.densify.core.config.ConfigRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The configuration arguments every run-like command takes: {@code --config FILE} and overrides
 * ({@code GROUP=OPTION}, {@code GROUP.KEY=VALUE}). Mix it into a command with {@code @Mixin ConfigOptions config}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "A YAML file of the configuration's shape (e.g. a run's config.yaml), applied before the "
                    + "overrides.")
    private Path configFile;

    @Parameters(paramLabel = "OVERRIDE", arity = "0..*",
            description = "GROUP=OPTION selects an option (env=gridworld); GROUP.KEY=VALUE sets a value "
                    + "(trainer.iterations=50, env.sizes=[5,7]).")
    private List<String> overrides = new ArrayList<>();

    /** What the user asked for, over every group. */
    public ConfigRequest request() {
        return new ConfigRequest(Optional.ofNullable(configFile), overrides, Set.of());
    }
}

package dev.densify.env.process;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.TaskSet;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code process} environment: an environment server in any language, started as a child process and spoken to
 * over JSON lines on its standard input and output (docs/process-protocol.md). Each environment has a server to
 * itself; a healthy server outlives its environment and is reset by the next one (see {@link ServerPool}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ProcessProvider implements EnvironmentProvider {

    @Override
    public String name() {
        return "process";
    }

    @Override
    public String description() {
        return "an environment server in any language, run as a child process speaking JSON lines (env.command)";
    }

    /** Starts the server and shakes hands with it, so that a bad command fails here rather than in the first episode. */
    @Override
    public Environment create(PluginConfig config) {
        return ProcessEnvironment.start(ProcessConfig.from(Objects.requireNonNull(config, "config")));
    }

    /** Asks a server for the tasks, with the start deadline; the server then waits for the first environment. */
    @Override
    public TaskSet tasks(PluginConfig config) {
        ProcessConfig settings = ProcessConfig.from(Objects.requireNonNull(config, "config"));
        ServerProcess server = ServerPool.take(settings);
        try {
            return server.call("tasks", Map.of(), settings.startTimeout(), "start_timeout_s", Protocol::tasks);
        } finally {
            ServerPool.give(settings, server);
        }
    }
}

package dev.densify.cli.train;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.ConfigOptions;
import dev.densify.cli.shell.UserException;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.train.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** A rollout worker for a learner started with {@code densify train buffer=redis}. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "worker", mixinStandardHelpOptions = true, description = {
    "Collect episodes with the learner's latest policy and feed them to it through Redis.",
    "Use the learner's configuration: the same overrides, or --config <run folder>/config.yaml.",
    "Example: densify worker --redis redis://host:6379 --config runs/train-1/config.yaml",
    "Stops when the learner finishes the run, or at --max-episodes / --max-seconds."})
public final class WorkerCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private ConfigOptions config;

    @Option(names = "--redis", required = true, paramLabel = "URL",
            description = "redis[s]://[user@]host[:port][/db][?options] (sets buffer.url); the password comes from "
                    + "$DENSIFY_REDIS_PASSWORD or ?password_file=PATH, never the URL (it would be written to config.yaml)")
    private String redis;

    @Option(names = "--id", paramLabel = "NAME", description = "This worker's name in heartbeats (default: host-pid).")
    private String id;

    @Option(names = "--max-episodes", paramLabel = "N", description = "Stop after N episodes (sets buffer.worker_max_episodes).")
    private Long maxEpisodes;

    @Option(names = "--max-seconds", paramLabel = "S", description = "Stop after S seconds (sets buffer.worker_max_seconds).")
    private Long maxSeconds;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        ConfigRequest base = config.request();
        List<String> overrides = new ArrayList<>(base.overrides());
        overrides.add("buffer=redis");
        overrides.add("buffer.url=" + redis);
        if (maxEpisodes != null) {
            overrides.add("buffer.worker_max_episodes=" + maxEpisodes);
        }
        if (maxSeconds != null) {
            overrides.add("buffer.worker_max_seconds=" + maxSeconds);
        }
        ComposedConfig composed = context.composer().compose(
                new ConfigRequest(base.configFile(), overrides, base.groups()));
        String name = id != null ? id : defaultId();
        Worker.Summary summary;
        try (Worker worker = Worker.open(composed, context.registry(), name)) {
            summary = worker.run();
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        context.out().printf("worker %s: %d episodes in %d groups, %d policy versions loaded; %s%n",
                summary.workerId(), summary.episodes(), summary.groups(), summary.policyVersionsLoaded(),
                summary.stopReason());
        return 0;
    }

    private static String defaultId() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            host = "worker";
        }
        String name = host.replaceAll("[^A-Za-z0-9._-]", "-");
        return name.substring(0, Math.min(name.length(), 40)) + "-" + ProcessHandle.current().pid();
    }
}

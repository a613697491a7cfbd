package dev.densify.cli.buffer;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.UserException;
import dev.densify.core.bench.BufferBenchmark;
import dev.densify.core.redis.RedisSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify bench buffer}: trajectories/s through the Redis buffer against raw XADD on the same server. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "buffer", mixinStandardHelpOptions = true, description = {
    "Measure the Redis trajectory buffer (append, take+ack, both, producer and learner threads) against raw XADD.",
    "Keys live under a fresh bench:<uuid> namespace and are deleted at the end."})
public final class BenchBufferCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--redis", required = true, paramLabel = "URL", description = "redis[s]://host:port to measure")
    private String redis;

    @Option(names = "--trajectories", defaultValue = "10000", paramLabel = "N",
            description = "gridworld-like trajectories of 10 steps per phase (default: ${DEFAULT-VALUE})")
    private int trajectories;

    @Override
    public Integer call() throws Exception {
        RedisSettings settings;
        try {
            settings = RedisSettings.parse(redis);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        if (trajectories < 1) {
            throw new UserException("--trajectories must be at least 1, got " + trajectories);
        }
        ByteArrayOutputStream table = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(table, true, StandardCharsets.UTF_8)) {
            BufferBenchmark.run(settings, trajectories, out);
        }
        CliContext.of(spec).out().print(table.toString(StandardCharsets.UTF_8));
        return 0;
    }
}

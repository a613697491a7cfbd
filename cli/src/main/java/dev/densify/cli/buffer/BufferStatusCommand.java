package dev.densify.cli.buffer;

import dev.densify.api.API;
import dev.densify.cli.shell.CliContext;
import dev.densify.cli.shell.UserException;
import dev.densify.core.buffer.BufferStatus;
import dev.densify.core.buffer.ConsumerStatus;
import dev.densify.core.buffer.RedisBufferConfig;
import dev.densify.core.buffer.RedisBufferProvider;
import dev.densify.core.buffer.RedisTrajectoryBuffer;
import dev.densify.core.buffer.WorkerStatus;
import dev.densify.core.buffer.policy.PolicyVersion;
import dev.densify.core.buffer.policy.RedisPolicyStore;
import dev.densify.core.redis.RedisConnection;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.redis.RedisSettings;
import dev.densify.core.buffer.RemoteSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code densify buffer status}: one snapshot of a run's stream, consumers and workers. */
@API(status = API.Status.INTERNAL, since = "0.1")
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Stream length and cap, pending entries, consumers, drop counts, dead letters, and workers with"
                + " their policy lag.")
public final class BufferStatusCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--redis", required = true, paramLabel = "URL", description = "redis[s]://host:port of the run")
    private String redis;

    @Option(names = "--config", paramLabel = "FILE",
            description = "The run's config.yaml: its buffer.namespace, buffer.max_len (the stream cap shown) and "
                    + "buffer.silent_after_ms are used.")
    private Path runConfig;

    @Option(names = "--namespace", paramLabel = "NS",
            description = "The run's buffer.namespace (default: the --config file's, else densify).")
    private String namespace;

    @Option(names = "--silent-after", paramLabel = "S",
            description = "Report workers silent after S seconds without a heartbeat (default: the --config file's "
                    + "buffer.silent_after_ms, else 30).")
    private Long silentAfter;

    @Override
    public Integer call() {
        CliContext context = CliContext.of(spec);
        PrintWriter out = context.out();
        // The stream cap is the run's buffer.max_len, which Redis does not keep: only the run's file knows it.
        Optional<RemoteSettings> run = Optional.ofNullable(runConfig).map(file -> remoteSettings(context, file));
        if (namespace == null) {
            namespace = run.map(RemoteSettings::namespace).orElse("densify");
        }
        if (silentAfter == null) {
            silentAfter = run.map(r -> r.silentAfter().toSeconds()).orElse(30L);
        }
        RedisSettings settings;
        RedisBufferConfig config;
        try {
            // give up quickly: a status query should say "unreachable", not wait for ever
            settings = RedisSettings.parse(redis);
            settings = new RedisSettings(settings.host(), settings.port(), settings.user(), settings.password(),
                    settings.database(), settings.tls(), settings.connectTimeout(), settings.socketTimeout(),
                    settings.retry().giveUpAfter().isPresent() ? settings.retry()
                            : settings.retry().withGiveUpAfter(Duration.ofSeconds(5)));
            config = RedisBufferConfig.defaults(namespace).withConsumer("status")
                    .withSilentAfter(Duration.ofSeconds(silentAfter));
            if (run.isPresent()) {
                config = config.withMaxLength(run.get().maxLen());
            }
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
        try (RedisConnection connection = RedisConnection.open(settings, "densify-status");
             RedisTrajectoryBuffer buffer = new RedisTrajectoryBuffer(connection, config)) {
            BufferStatus status = buffer.status();
            Optional<PolicyVersion> policy = new RedisPolicyStore(connection, namespace, 1).latest();
            boolean finished = connection.call("read run state", c -> c.exists(namespace + ":run:finished"));
            // known from the run's file, or from Redis once a producer has appended (each append records it)
            boolean capKnown = run.isPresent() || buffer.appliedMaxLength().isPresent();
            print(out, status, policy, finished, capKnown, config.deadLetterKey());
        }
        return 0;
    }

    private static RemoteSettings remoteSettings(CliContext context, Path file) {
        ComposedConfig composed = context.composer().compose(new ConfigRequest(Optional.of(file), List.of(),
                Set.of("buffer")));
        return RedisBufferProvider.settings(composed, context.registry()).orElseThrow(() -> new UserException(
                "--config: " + file + " selects buffer=" + composed.selected("buffer")
                        + "; buffer status reads a run whose buffer is redis"));
    }

    private static void print(PrintWriter out, BufferStatus s, Optional<PolicyVersion> policy, boolean finished,
                              boolean capKnown, String deadLetterKey) {
        out.printf(Locale.ROOT, "stream        %s%n", s.backend());
        out.printf(Locale.ROOT, "run           %s%n", finished ? "finished" : "running (or not started)");
        out.printf(Locale.ROOT, "policy        %s%n", policy.map(p -> "version " + p.version() + ", " + p.sizeBytes()
                + " bytes, sha256 " + p.sha256().substring(0, 12) + ", published " + p.publishedAt())
                .orElse("none published in Redis (or kept in a policy folder)"));
        out.printf(Locale.ROOT, "length        %d%s%n", s.length(), capKnown ? " of max " + s.capacity()
                : " (the stream cap is the run's buffer.max_len: pass --config runs/<id>/config.yaml to see it)");
        out.printf(Locale.ROOT, "pending       %d%n", s.pending());
        out.printf(Locale.ROOT, "appended      %d%n", s.appended());
        out.printf(Locale.ROOT, "acknowledged  %d%n", s.acknowledged());
        out.printf(Locale.ROOT, "dropped       %d%s%n", s.droppedTotal(), s.dropped().isEmpty() ? ""
                : " " + new java.util.TreeMap<>(s.dropped()));
        out.printf(Locale.ROOT, "evicted (cap) %d%n", s.evictedByCap());
        out.printf(Locale.ROOT, "dead letters  %d%s%n", s.deadLetters(), s.deadLetters() == 0 ? ""
                : " (invalid entries kept for inspection: XRANGE " + deadLetterKey + " - +)");
        out.printf(Locale.ROOT, "consumers     %d%n", s.consumers().size());
        for (ConsumerStatus c : s.consumers()) {
            out.printf(Locale.ROOT, "  %-24s pending %6d  idle %s%n", c.name(), c.pending(), seconds(c.idle()));
        }
        out.printf(Locale.ROOT, "workers       %d (%d silent)%n", s.workers().size(), s.silentWorkers().size());
        Instant now = Instant.now();
        for (WorkerStatus w : s.workers()) {
            String lag = policy.map(p -> Long.toString(w.policyLag(p.version()))).orElse("?");
            out.printf(Locale.ROOT, "  %-24s %-6s episodes %7d  policy %4d  lag %3s  last heartbeat %s ago%n",
                    w.workerId(), w.silent() ? "SILENT" : "alive", w.episodes(), w.policyVersion(), lag,
                    seconds(Duration.between(w.lastHeartbeat(), now).abs()));
        }
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}

package dev.densify.core.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * A real redis-server (the binary bundled by embedded-redis) for one test class, on a free loopback port:
 * {@code @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.ephemeral();}.
 * {@link #stop()} and {@link #start()} simulate an outage: the server comes back on the same port, with its data
 * when {@linkplain #persistent() persistent} (AOF, fsync on every write, as production should run) and empty
 * otherwise.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

    private final boolean persistent;
    private final List<String> extraSettings = new ArrayList<>();
    private Path dataDir;
    private int port;
    private RedisServer server;

    private RedisServerExtension(boolean persistent) {
        this.persistent = persistent;
    }

    /** No persistence ({@code save ""}, {@code appendonly no}): a restart loses everything. */
    public static RedisServerExtension ephemeral() {
        return new RedisServerExtension(false);
    }

    /** AOF with {@code appendfsync always} in a temporary folder: a restart keeps every acknowledged write. */
    public static RedisServerExtension persistent() {
        return new RedisServerExtension(true);
    }

    /** An extra redis.conf line, e.g. {@code requirepass secret}. */
    public RedisServerExtension with(String setting) {
        extraSettings.add(setting);
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("densify-redis-");
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        stop();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Starts the server (again) on the same port; does nothing while it runs. */
    public synchronized void start() {
        if (server != null && server.isActive()) {
            return;
        }
        try {
            var builder = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("save \"\"")
                    .setting("dir " + dataDir.toAbsolutePath())
                    .setting("appendonly " + (persistent ? "yes" : "no"))
                    .setting("appendfsync always")
                    .onShutdownForceStop(false);
            extraSettings.forEach(builder::setting);
            server = builder.build();
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start redis-server on port " + port, e);
        }
    }

    /** Stops the server gracefully (SIGTERM), as an operator restarting Redis would. */
    public synchronized void stop() {
        if (server != null && server.isActive()) {
            try {
                server.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public int port() {
        return port;
    }

    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Settings for this server with short timeouts, so that tests notice an outage quickly. */
    public RedisSettings settings() {
        return RedisSettings.parse(url() + "?connect_timeout=500ms&socket_timeout=2s&retry_initial=20ms"
                + "&retry_max=250ms&log_interval=1s");
    }

    /** A plain client for inspecting and tampering with the server behind the code under test. */
    public Jedis admin() {
        return new Jedis("127.0.0.1", port);
    }
}

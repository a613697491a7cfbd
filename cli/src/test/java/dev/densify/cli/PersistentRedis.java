package dev.densify.cli;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import redis.embedded.RedisServer;

/**
 * A real redis-server on a free loopback port with AOF persistence (fsync always), which a test may stop and start
 * again with its data: what the process-level tests of asynchronous training run against.
 */
public final class PersistentRedis implements AutoCloseable {
    private final Path dir;
    private final int port;
    private RedisServer server;

    private PersistentRedis(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** A started server keeping its data in a new temporary folder named with {@code prefix}. */
    public static PersistentRedis start(String prefix) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        PersistentRedis redis = new PersistentRedis(Files.createTempDirectory(prefix), port);
        redis.start();
        return redis;
    }

    public int port() {
        return port;
    }

    /** Starts the server again on the same port and data. */
    public synchronized void start() throws IOException {
        server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("dir " + dir.toAbsolutePath()).setting("appendonly yes").setting("appendfsync always")
                .onShutdownForceStop(false).build();
        server.start();
    }

    public synchronized void stop() throws IOException {
        if (server != null && server.isActive()) {
            server.stop();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}

package dev.densify.cli;

import java.io.IOException;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * A real redis-server on a free loopback port that keeps nothing on disk (no snapshots, no AOF): what the Redis
 * integration tests that never restart their server run against; {@link PersistentRedis} is for those that do.
 */
public final class LoopbackRedis implements AutoCloseable {
    private final RedisServer server;
    private final int port;

    private LoopbackRedis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** A started server. */
    public static LoopbackRedis start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        server.start();
        return new LoopbackRedis(server, port);
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}

package dev.densify.core.bench;

import dev.densify.core.redis.RedisSettings;
import java.net.ServerSocket;
import redis.embedded.RedisServer;

/**
 * Runs {@link BufferBenchmark} against a redis-server it starts itself (the embedded-redis binary, loopback, no
 * persistence), for machines without a Redis. Arguments: [trajectories]. Not a test.
 */
public final class EmbeddedRedisBufferBenchmark {

    private EmbeddedRedisBufferBenchmark() {}

    public static void main(String[] args) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                .setting("save \"\"").setting("appendonly no").build();
        server.start();
        try {
            int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
            BufferBenchmark.run(RedisSettings.parse("redis://127.0.0.1:" + port), count, System.out);
        } finally {
            server.stop();
        }
    }
}

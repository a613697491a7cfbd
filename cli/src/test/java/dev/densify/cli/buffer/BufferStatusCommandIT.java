package dev.densify.cli.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.cli.LoopbackRedis;
import dev.densify.cli.Main;
import dev.densify.core.buffer.RedisBufferConfig;
import dev.densify.core.buffer.RedisTrajectoryBuffer;
import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;

/** {@code densify buffer status} against a real redis-server holding a run's stream. */
class BufferStatusCommandIT {
    private static LoopbackRedis redis;
    private static int port;

    @BeforeAll
    static void start() throws IOException {
        redis = LoopbackRedis.start();
        port = redis.port();
    }

    @AfterAll
    static void stop() throws IOException {
        redis.close();
    }

    @Test
    @DisplayName("without --config, shows the stream cap the producers applied (not the default) and the dead letters")
    void capAndDeadLetters() throws Exception {
        String url = "redis://127.0.0.1:" + port;
        RedisBufferConfig config = RedisBufferConfig.defaults("status-it").withMaxLength(777);
        try (RedisConnection c = RedisConnection.open(RedisSettings.parse(url), "densify-test");
             RedisTrajectoryBuffer buffer = new RedisTrajectoryBuffer(c, config);
             Jedis admin = new Jedis("127.0.0.1", port)) {
            buffer.take(1, Duration.ZERO);
            buffer.append(new Trajectory("t1", "maze-1", "g", 1, 0, List.of(), "end", "s", new Outcome(0, false),
                    true));
            admin.xadd(config.streamKey(), Map.of("something", "else"), XAddParams.xAddParams());
            assertEquals(1, buffer.take(10, Duration.ofSeconds(5)).size());
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"buffer", "status", "--redis", url, "--namespace", "status-it"},
                new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), Map.of());
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.contains("length        1 of max 777\n"), text);
        assertTrue(text.contains("dead letters  1 (invalid entries kept for inspection: XRANGE status-it:dead-letter"
                + " - +)"), text);
        assertTrue(text.contains("dropped       1 {malformed=1}"), text);
    }
}

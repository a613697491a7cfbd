package dev.densify.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisConnectionIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.ephemeral().with("requirepass s3cret");

    @Test
    @DisplayName("the password from the URL authenticates")
    void authenticates() {
        try (var c = RedisConnection.open(RedisSettings.parse("redis://:s3cret@127.0.0.1:" + REDIS.port()), "t")) {
            assertEquals("PONG", c.call("PING", j -> j.ping()));
        }
    }

    @Test
    @DisplayName("a wrong password fails at once with a message about credentials, not an endless retry")
    void wrongPassword() {
        var settings = RedisSettings.parse("redis://:wrong@127.0.0.1:" + REDIS.port());
        try (var c = RedisConnection.open(settings, "t")) {
            var e = assertThrows(RedisRejectedException.class, () -> c.call("PING", j -> j.ping()));
            assertTrue(e.getMessage().contains("refused the credentials"), e.getMessage());
            assertTrue(!e.getMessage().contains("wrong"), "the password is not echoed: " + e.getMessage());
        }
    }

    @Test
    @DisplayName("a database index the server lacks fails at once, naming the index, not as an outage")
    void databaseOutOfRange() {
        var settings = RedisSettings.parse("redis://:s3cret@127.0.0.1:" + REDIS.port() + "/99?give_up_after=20s");
        try (var c = RedisConnection.open(settings, "t")) {
            var e = assertThrows(RedisRejectedException.class, () -> c.call("PING", j -> j.ping()));
            assertTrue(e.getMessage().startsWith("Redis at 127.0.0.1:" + REDIS.port() + " has no database 99 ("),
                    e.getMessage());
        }
    }

    @Test
    @DisplayName("a key of the wrong type is reported as a shared namespace")
    void wrongType() {
        try (var c = RedisConnection.open(RedisSettings.parse("redis://:s3cret@127.0.0.1:" + REDIS.port()), "t")) {
            c.call("SET", j -> j.set("shared:stream", "a string"));
            var e = assertThrows(RedisRejectedException.class,
                    () -> c.call("XLEN", j -> j.xlen("shared:stream")));
            assertTrue(e.getMessage().contains("a key used by XLEN holds a value of another type (WRONGTYPE"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("give the run its own buffer.namespace"), e.getMessage());
        }
    }

    @Test
    @DisplayName("with give_up_after, an unreachable server ends in one clear error naming host and port")
    void givesUp() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var settings = RedisSettings.parse("redis://127.0.0.1:" + closedPort
                + "?connect_timeout=200ms&retry_initial=20ms&retry_max=100ms&give_up_after=500ms");
        try (var c = RedisConnection.open(settings, "t")) {
            var e = assertThrows(RedisUnavailableException.class, () -> c.call("PING", j -> j.ping()));
            assertTrue(e.getMessage().startsWith("Redis unreachable at 127.0.0.1:" + closedPort), e.getMessage());
            assertTrue(c.isUnreachable());
        }
    }

    @Test
    @DisplayName("callUntil returns empty at its deadline while the server is unreachable")
    void deadline() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        var settings = RedisSettings.parse("redis://127.0.0.1:" + closedPort + "?connect_timeout=200ms");
        try (var c = RedisConnection.open(settings, "t")) {
            assertTrue(c.callUntil(Instant.now().plus(Duration.ofMillis(300)), "PING", j -> j.ping()).isEmpty());
        }
    }

    @Test
    @DisplayName("a caller waiting through an outage gets its answer once the server is back")
    void waitsThroughOutage() throws Exception {
        var settings = RedisSettings.parse("redis://:s3cret@127.0.0.1:" + REDIS.port()
                + "?connect_timeout=200ms&retry_initial=20ms&retry_max=200ms");
        try (var c = RedisConnection.open(settings, "t")) {
            c.call("SET", j -> j.set("k", "before"));
            REDIS.stop();
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(1_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                REDIS.start();
            });
            restarter.start();
            assertEquals("OK", c.call("SET", j -> j.set("k", "after")));
            restarter.join();
            assertEquals("after", c.call("GET", j -> j.get("k")));
        } finally {
            REDIS.start();
        }
    }
}

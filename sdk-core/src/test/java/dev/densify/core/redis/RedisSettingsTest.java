package dev.densify.core.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {

    @Test
    @DisplayName("a bare host gets port 6379, database 0, no TLS and the default timeouts")
    void defaults() {
        RedisSettings s = RedisSettings.parse("redis://cache.internal");
        assertEquals("cache.internal", s.host());
        assertEquals(6379, s.port());
        assertEquals(0, s.database());
        assertFalse(s.tls());
        assertEquals(Optional.empty(), s.user());
        assertEquals(Optional.empty(), s.password());
        assertEquals(Duration.ofSeconds(2), s.connectTimeout());
        assertEquals(Duration.ofSeconds(5), s.socketTimeout());
        assertEquals(RetryPolicy.defaults(), s.retry());
    }

    @Test
    @DisplayName("user, password, port, database and TLS are all read; percent-encoding is decoded")
    void fullUrl() {
        RedisSettings s = RedisSettings.parse("rediss://learner:p%40ss%3Aw0rd@10.0.0.5:6380/3");
        assertEquals("10.0.0.5", s.host());
        assertEquals(6380, s.port());
        assertEquals(3, s.database());
        assertTrue(s.tls());
        assertEquals(Optional.of("learner"), s.user());
        assertEquals(Optional.of("p@ss:w0rd"), s.password());
    }

    @Test
    @DisplayName("a password without a user, and a user without a password")
    void partialCredentials() {
        RedisSettings passwordOnly = RedisSettings.parse("redis://:secret@host:1234");
        assertEquals(Optional.empty(), passwordOnly.user());
        assertEquals(Optional.of("secret"), passwordOnly.password());
        RedisSettings userOnly = RedisSettings.parse("redis://alice@host");
        assertEquals(Optional.of("alice"), userOnly.user());
        assertEquals(Optional.empty(), userOnly.password());
    }

    @Test
    @DisplayName("host names java.net.URI deems invalid (underscores, as Docker uses) still parse")
    void underscoreHost() {
        RedisSettings s = RedisSettings.parse("redis://:pw@redis_1:6380/1");
        assertEquals("redis_1", s.host());
        assertEquals(6380, s.port());
        assertEquals(Optional.of("pw"), s.password());
        assertEquals(1, s.database());
    }

    @Test
    @DisplayName("IPv6 literals keep their address and are bracketed when printed")
    void ipv6() {
        RedisSettings s = RedisSettings.parse("redis://[::1]:7000");
        assertEquals("::1", s.host());
        assertEquals("[::1]:7000", s.address());
    }

    @Test
    @DisplayName("timeouts and retry options are read from the query string")
    void options() {
        RedisSettings s = RedisSettings.parse(
                "redis://h?connect_timeout=500ms&socket_timeout=3s&retry_initial=50&retry_max=1m"
                        + "&log_interval=30s&give_up_after=2h");
        assertEquals(Duration.ofMillis(500), s.connectTimeout());
        assertEquals(Duration.ofSeconds(3), s.socketTimeout());
        assertEquals(new RetryPolicy(Duration.ofMillis(50), Duration.ofMinutes(1), Duration.ofSeconds(30),
                Optional.of(Duration.ofHours(2))), s.retry());
    }

    @Test
    @DisplayName("the password never appears in toString or in error messages")
    void redactsPassword() {
        RedisSettings s = RedisSettings.parse("redis://bob:hunter2@h:1/2");
        assertEquals("redis://bob:***@h:1/2", s.toString());
        var e = assertThrows(IllegalArgumentException.class,
                () -> RedisSettings.parse("redis://bob:hunter2@h:1/2?colour=red"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    @DisplayName("bad URLs fail with one message saying what is allowed")
    void errors() {
        assertError("http://h", "the scheme must be redis:// or rediss://");
        assertError("redis:///0", "names no host");
        assertError("redis://h/zero", "the path must be a database number");
        assertError("redis://h?colour=red", "unknown option 'colour'; allowed: connect_timeout");
        assertError("redis://h?socket_timeout=fast", "option 'socket_timeout' must be a duration");
        assertError("redis://h?socket_timeout", "needs a value");
        assertError("redis://h?socket_timeout=0", "socket_timeout must be positive");
        assertError("redis://h?retry_initial=10s&retry_max=1s", "maxBackoff");
        assertError("redis://h:99999", "port must be within 1..65535");
        assertError("redis://redis_1:abc", "the port must be a number");
    }

    @Test
    @DisplayName("backoff doubles from the initial pause and stops at the maximum")
    void backoff() {
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(10),
                Optional.empty());
        assertEquals(Duration.ofMillis(100), p.backoff(1));
        assertEquals(Duration.ofMillis(200), p.backoff(2));
        assertEquals(Duration.ofMillis(800), p.backoff(4));
        assertEquals(Duration.ofSeconds(1), p.backoff(5));
        assertEquals(Duration.ofSeconds(1), p.backoff(1000));
    }

    @Test
    @DisplayName("without a password in the URL, it comes from password_file or DENSIFY_REDIS_PASSWORD")
    void passwordFromFileOrEnvironment(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("redis.pw"), "from-file\n");
        java.util.Map<String, String> env = java.util.Map.of(RedisSettings.PASSWORD_VARIABLE, "from-env");
        assertEquals(Optional.of("from-file"),
                RedisSettings.parse("redis://h?password_file=" + file, env).password());
        assertEquals(Optional.of("from-env"), RedisSettings.parse("redis://h", env).password());
        assertEquals(Optional.of("inline"), RedisSettings.parse("redis://:inline@h", env).password());
        assertEquals(Optional.empty(), RedisSettings.parse("redis://h", java.util.Map.of()).password());
        assertEquals("redis://:***@h:6379/0", RedisSettings.parse("redis://h", env).toString());
        assertError("redis://h?password_file=" + dir.resolve("missing"), "option 'password_file' names '");
    }

    @Test
    @DisplayName("a URL bound for a configuration must not carry a password; the message does not echo it")
    void configurationsCarryNoPassword() {
        RedisSettings.requireNoPassword("redis://alice@h:1/0?password_file=/run/secrets/redis");
        var e = assertThrows(IllegalArgumentException.class,
                () -> RedisSettings.requireNoPassword("redis://alice:hunter2@h:1/0"));
        assertEquals("'redis://alice:***@h:1/0' carries a password, which would be written to the run folder's"
                + " config.yaml; set the environment variable DENSIFY_REDIS_PASSWORD or name a file with"
                + " ?password_file=PATH instead", e.getMessage());
    }

    private static void assertError(String url, String expected) {
        var e = assertThrows(IllegalArgumentException.class, () -> RedisSettings.parse(url));
        assertTrue(e.getMessage().contains(expected), () -> "'" + e.getMessage() + "' lacks '" + expected + "'");
    }
}

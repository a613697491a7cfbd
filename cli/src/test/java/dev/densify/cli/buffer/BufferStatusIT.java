package dev.densify.cli.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.cli.LoopbackRedis;
import dev.densify.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code densify buffer status} against a real redis-server, run in-process. */
class BufferStatusIT {
    private static LoopbackRedis redis;
    private static int port;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws IOException {
        redis = LoopbackRedis.start();
        port = redis.port();
    }

    @AfterAll
    static void stop() throws IOException {
        redis.close();
    }

    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                Map.of());
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void showsTheStreamCapTheRunConfigured() throws IOException {
        String url = "redis://127.0.0.1:" + port;
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, run("config", "buffer=redis", "buffer.url=" + url, "buffer.max_len=1234",
                "buffer.namespace=capped").out());
        Result result = run("buffer", "status", "--redis", url, "--config", config.toString());
        assertEquals(0, result.exitCode(), result.err());
        assertTrue(result.out().contains("length        0 of max 1234\n"), result.out());

        Result without = run("buffer", "status", "--redis", url);
        assertEquals(0, without.exitCode(), without.err());
        assertTrue(without.out().contains("length        0 (the stream cap is the run's buffer.max_len: pass --config"),
                without.out());
    }

    @Test
    void aMissingDatabaseIsNamedNotUnexpected() {
        Result result = run("buffer", "status", "--redis", "redis://127.0.0.1:" + port + "/99");
        assertEquals(2, result.exitCode(), result.err());
        assertTrue(result.err().startsWith("densify: Redis at 127.0.0.1:" + port + " has no database 99 ("),
                result.err());
    }
}

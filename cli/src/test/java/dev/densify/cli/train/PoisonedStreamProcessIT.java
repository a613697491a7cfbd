package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.DropReason;
import dev.densify.core.buffer.TrajectoryCodec;
import dev.densify.core.train.RunFingerprint;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.XAddParams;
import redis.embedded.RedisServer;

/**
 * Issue 14's crash loop, end to end with real processes: a learner ({@code densify train buffer=redis}) and a
 * rollout worker ({@code densify worker}) on a real redis-server, and a hostile writer that puts poisoned entries
 * into the stream (stamped with the learner's published fingerprint, so that validation must catch them) while the
 * learner waits for its first batch. The learner must finish its run, train none of them, and count and dead-letter
 * each once. Prints a table of the cases.
 */
class PoisonedStreamProcessIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DENSIFY_JAR = Path.of(System.getProperty("basedir", "."), "target", "densify.jar")
            .toAbsolutePath();
    private static final String NAMESPACE = "it-poison";

    private static int port;
    private static RedisServer redis;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        redis = RedisServer.newRedisServer().port(port).bind("127.0.0.1").setting("save \"\"")
                .setting("appendonly no").build();
        redis.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        redis.stop();
    }

    @Test
    @DisplayName("poisoned entries in the stream are dropped, counted and dead-lettered; the learner finishes its run")
    void learnerSurvivesPoisonedStream() throws Exception {
        List<String> config = List.of("buffer=redis", "buffer.url=redis://127.0.0.1:" + port,
                "buffer.namespace=" + NAMESPACE, "policy.preset=micro", "env.size=5", "trainer.iterations=2",
                "trainer.episodes_per_iteration=8", "trainer.group_size=4", "trainer.max_steps=8",
                "trainer.warm_start_episodes=0", "trainer.eval_every=2", "trainer.eval_episodes=4",
                "trainer.checkpoint_every=1", "trainer.epochs=1", "trainer.sample_trajectories=0");
        Process learner = densify("learner", with(List.of("train", "--run-dir", dir.resolve("run").toString()), config));
        Map<String, String> expected = new LinkedHashMap<>();
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            String fp = awaitFingerprint(admin, learner);
            String stream = NAMESPACE + ":trajectories";
            expected.put("token id -1", DropReason.INVALID_TOKENS);
            xadd(admin, stream, "trajectory", json(poison("p-neg", new int[] {1, -1}, 0.0, 0)), "fingerprint", fp);
            expected.put("token id 5000000", DropReason.INVALID_TOKENS);
            xadd(admin, stream, "trajectory", json(poison("p-big", new int[] {1, 5_000_000}, 0.0, 0)),
                    "fingerprint", fp);
            expected.put("NaN reward", DropReason.NON_FINITE);
            xadd(admin, stream, "trajectory", json(poison("p-nan", new int[] {1, 2}, Double.NaN, 0)),
                    "fingerprint", fp);
            expected.put("Infinity reward", DropReason.NON_FINITE);
            xadd(admin, stream, "trajectory", json(poison("p-inf", new int[] {1, 2}, Double.POSITIVE_INFINITY, 0)),
                    "fingerprint", fp);
            expected.put("future policy version", DropReason.FUTURE_POLICY);
            xadd(admin, stream, "trajectory", json(poison("p-future", new int[] {1, 2}, 0.0, 1_000_000)),
                    "fingerprint", fp);
            expected.put("no trajectory field", DropReason.MALFORMED);
            xadd(admin, stream, "something", "else", "fingerprint", fp);
            expected.put("no fingerprint", DropReason.FOREIGN_FINGERPRINT);
            xadd(admin, stream, "trajectory", json(poison("p-nofp", new int[] {1, 2}, 0.0, 0)));
            expected.put("not JSON", DropReason.UNDECODABLE);
            xadd(admin, stream, "trajectory", "{garbage", "fingerprint", fp);

            Process worker = densify("worker", with(List.of("worker", "--redis", "redis://127.0.0.1:" + port,
                    "--id", "w1", "--max-seconds", "240"), config));
            assertFinished(learner, "learner");
            assertFinished(worker, "worker");

            Map<String, String> counters = admin.hgetAll(NAMESPACE + ":counters");
            long deadLetters = admin.xlen(NAMESPACE + ":dead-letter");
            List<String> trained = new ArrayList<>();
            for (String line : Files.readAllLines(dir.resolve("run").resolve("metrics.jsonl"))) {
                @SuppressWarnings("unchecked")
                List<String> ids = (List<String>) JSON.readValue(line, Map.class).get("trajectory_ids");
                trained.addAll(ids);
            }
            Map<String, Long> expectedCounts = new HashMap<>();
            expected.values().forEach(r -> expectedCounts.merge(r, 1L, Long::sum));
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "| %-22s | %-19s | %-17s |%n",
                    "case", "reason", "count for reason"));
            table.append(String.format(Locale.ROOT, "| %-22s | %-19s | %-17s |%n", "---", "---", "---"));
            expected.forEach((name, reason) -> table.append(String.format(Locale.ROOT, "| %-22s | %-19s | %-17s |%n",
                    name, reason, counters.getOrDefault("dropped:" + reason, "0") + " of "
                            + expectedCounts.get(reason))));
            System.out.print("\nPoisoned stream, real learner and worker processes: learner exit "
                    + learner.exitValue() + ", dead letters " + deadLetters + " of " + expected.size()
                    + ", trained poison " + trained.stream().filter(id -> id.startsWith("p-")).count() + " of "
                    + trained.size() + " trained\n" + table);

            assertEquals(0, learner.exitValue());
            assertTrue(trained.stream().noneMatch(id -> id.startsWith("p-")), trained.toString());
            assertEquals(16, trained.size(), "two full batches from the worker");
            expectedCounts.forEach((reason, n) -> assertEquals(String.valueOf(n),
                    counters.get("dropped:" + reason), reason + " in " + counters));
            assertEquals(expected.size(), deadLetters);
            String log = Files.readString(dir.resolve("learner.err"));
            for (String id : List.of("p-neg", "p-big", "p-nan", "p-inf", "p-future")) {
                assertEquals(1, log.lines().filter(l -> l.contains("(trajectory " + id + ")")).count(),
                        "logged once: " + id);
            }
        }
    }

    private static Trajectory poison(String id, int[] prompt, double reward, long version) {
        // A task the learner trains on: each entry is refused for its one planted defect, not for its task.
        return new Trajectory(id, "train-000", "poison-" + id, 1, version, List.of(new Step("o", "s", "r", prompt,
                "a", new int[] {3}, new float[] {-0.1f}, reward, true, Map.of())), "f", "fs",
                new Outcome(1, true), true);
    }

    private static String json(Trajectory t) {
        return new String(TrajectoryCodec.encode(t), StandardCharsets.UTF_8);
    }

    private static void xadd(Jedis admin, String stream, String... pairs) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put(pairs[i], pairs[i + 1]);
        }
        admin.xadd(stream, XAddParams.xAddParams(), fields);
    }

    private String awaitFingerprint(Jedis admin, Process learner) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            String json = admin.get(NAMESPACE + ":run:fingerprint");
            if (json != null) {
                return RunFingerprint.fromJson(json, "fingerprint").digest();
            }
            assertTrue(learner.isAlive(), "the learner stopped early: " + tail("learner"));
            Thread.sleep(200);
        }
        throw new AssertionError("the learner published no fingerprint: " + tail("learner"));
    }

    private Process densify(String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dai.djl.offline=true", "-jar", DENSIFY_JAR.toString()));
        command.addAll(args);
        return new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve(name + ".out").toFile())
                .redirectError(dir.resolve(name + ".err").toFile()).start();
    }

    private void assertFinished(Process process, String name) throws Exception {
        boolean done = process.waitFor(200, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly().waitFor();
        }
        assertTrue(done, name + " did not finish: " + tail(name));
        assertEquals(0, process.exitValue(), name + " failed: " + tail(name));
    }

    private String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(name + ".err"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static List<String> with(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}

package dev.densify.cli.train;

import static dev.densify.cli.DensifyProcesses.metrics;
import static dev.densify.cli.DensifyProcesses.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.cli.DensifyProcesses;
import dev.densify.cli.LoopbackRedis;
import dev.densify.cli.PoisonedEntries;
import dev.densify.core.train.RunFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Issue 14's crash loop, end to end with real processes: a learner ({@code densify train buffer=redis}) and a
 * rollout worker ({@code densify worker}) on a real redis-server, and a hostile writer that puts poisoned entries
 * into the stream (stamped with the learner's published fingerprint, so that validation must catch them) while the
 * learner waits for its first batch. The learner must finish its run, train none of them, and count and dead-letter
 * each once. Prints a table of the cases.
 */
class PoisonedStreamProcessIT {
    private static final String NAMESPACE = "it-poison";

    private static int port;
    private static LoopbackRedis redis;

    @TempDir
    Path dir;
    private DensifyProcesses processes;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = LoopbackRedis.start();
        port = redis.port();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        redis.close();
    }

    @BeforeEach
    void processesInTheTestsFolder() {
        processes = new DensifyProcesses(dir, Duration.ofSeconds(200));
    }

    @Test
    @DisplayName("poisoned entries in the stream are dropped, counted and dead-lettered; the learner finishes its run")
    void learnerSurvivesPoisonedStream() throws Exception {
        List<String> config = List.of("buffer=redis", "buffer.url=redis://127.0.0.1:" + port,
                "buffer.namespace=" + NAMESPACE, "policy.preset=micro", "env.size=5", "trainer.iterations=2",
                "trainer.episodes_per_iteration=8", "trainer.group_size=4", "trainer.max_steps=8",
                "trainer.warm_start_episodes=0", "trainer.eval_every=2", "trainer.eval_episodes=4",
                "trainer.checkpoint_every=1", "trainer.epochs=1", "trainer.sample_trajectories=0");
        Process learner = processes.start("learner", with(List.of("train", "--run-dir", dir.resolve("run").toString()),
                config));
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            Map<String, String> expected = PoisonedEntries.write(admin, NAMESPACE, awaitFingerprint(admin, learner));

            Process worker = processes.start("worker", with(List.of("worker", "--redis", "redis://127.0.0.1:" + port,
                    "--id", "w1", "--max-seconds", "240"), config));
            processes.assertFinished(learner, "learner");
            processes.assertFinished(worker, "worker");

            Map<String, String> counters = admin.hgetAll(NAMESPACE + ":counters");
            long deadLetters = admin.xlen(NAMESPACE + ":dead-letter");
            List<String> trained = new ArrayList<>();
            for (Map<String, Object> m : metrics(dir.resolve("run"))) {
                @SuppressWarnings("unchecked")
                List<String> ids = (List<String>) m.get("trajectory_ids");
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

    private String awaitFingerprint(Jedis admin, Process learner) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        while (System.nanoTime() < deadline) {
            String json = admin.get(NAMESPACE + ":run:fingerprint");
            if (json != null) {
                return RunFingerprint.fromJson(json, "fingerprint").digest();
            }
            assertTrue(learner.isAlive(), "the learner stopped early: " + processes.tail("learner"));
            Thread.sleep(200);
        }
        throw new AssertionError("the learner published no fingerprint: " + processes.tail("learner"));
    }
}

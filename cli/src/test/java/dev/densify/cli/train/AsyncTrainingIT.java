package dev.densify.cli.train;

import static dev.densify.cli.DensifyProcesses.metrics;
import static dev.densify.cli.DensifyProcesses.quickRedisUrl;
import static dev.densify.cli.DensifyProcesses.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.cli.DensifyProcesses;
import dev.densify.cli.PersistentRedis;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Asynchronous training end to end with real processes: a learner ({@code densify train buffer=redis}) and two
 * rollout workers ({@code densify worker}) on a real redis-server (AOF persistence) on a free loopback port. Tiny
 * runs (micro policy, 5x5 gridworld, short episodes): they prove the plumbing (every trajectory trained once, crash
 * and outage recovery), not learning curves.
 */
class AsyncTrainingIT {
    private static final int ITERATIONS = 3;
    private static final int EPISODES = 8;

    private static PersistentRedis redis;

    @TempDir
    Path dir;
    private DensifyProcesses processes;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = PersistentRedis.start("densify-async-redis-");
    }

    @AfterAll
    static void stopRedis() throws IOException {
        redis.stop();
    }

    @BeforeEach
    void processesInTheTestsFolder() {
        processes = new DensifyProcesses(dir, Duration.ofSeconds(200));
    }

    @Test
    void twoWorkersFeedOneLearnerEveryTrajectoryOnceAndTheWarmStartDoesNotDegrade() throws Exception {
        List<String> config = config("plain");
        Process learner = startLearner(dir.resolve("run"), config);
        List<Process> workers = startWorkers(config);
        List<Map<String, Object>> metrics = assertFinishedTrainingEachOnce(learner, "learner", workers);
        for (Map<String, Object> m : metrics) {
            assertTrue(((Number) m.get("updates")).intValue() > 0, "no policy update in " + m.get("iteration"));
            assertTrue(((Number) m.get("policy_lag_max")).longValue() <= 2, "a trajectory beyond max_policy_lag");
        }
        assertTrue(processes.output("w1").contains("the learner marked the run finished"), processes.output("w1"));
        assertTrue(processes.output("w2").contains("the learner marked the run finished"), processes.output("w2"));
        // Both workers collected (each prints its episode count); the learner's batches name who produced them.
        for (String w : List.of("w1", "w2")) {
            assertTrue(processes.output(w).matches("(?s)worker " + w + ": [1-9]\\d* episodes.*"), processes.output(w));
        }
        // The warm-started policy (sampled success of iteration 0, policy version 0) must not collapse under
        // asynchronous updates: greedy held-out success at the end is at least that, less sampling noise.
        double start = ((Number) metrics.get(0).get("train_success")).doubleValue();
        double end = ((Number) metrics.get(ITERATIONS - 1).get("heldout_success")).doubleValue();
        assertTrue(end >= start - 0.25, "held-out success fell from " + start + " to " + end);
    }

    @Test
    void aLearnerKilledMidIterationResumesAndTrainsEveryTrajectoryExactlyOnce() throws Exception {
        List<String> config = config("crash");
        Path run = dir.resolve("run");
        Process learner = startLearner(run, config);
        List<Process> workers = startWorkers(config);
        processes.awaitMetricsLines(run, 1, learner, "learner");
        // mid-iteration: the next batch is being taken or trained, nothing of it is checkpointed
        Thread.sleep(1500);
        learner.destroyForcibly().waitFor();
        Process resumed = processes.start("resumed", with(List.of("train", "--resume", run.toString()), List.of()));
        assertNothingLost("crash", assertFinishedTrainingEachOnce(resumed, "resumed", workers));
    }

    @Test
    void workersAndLearnerRideOutARedisRestart() throws Exception {
        List<String> config = config("outage");
        Path run = dir.resolve("run");
        Process learner = startLearner(run, config);
        List<Process> workers = startWorkers(config);
        processes.awaitMetricsLines(run, 1, learner, "learner");
        redis.stop();
        Thread.sleep(3000);
        redis.start();
        assertNothingLost("outage", assertFinishedTrainingEachOnce(learner, "learner", workers));
    }

    private Process startLearner(Path run, List<String> config) throws IOException {
        return processes.start("learner", with(List.of("train", "--run-dir", run.toString()), config));
    }

    /** The rollout workers w1 and w2. */
    private List<Process> startWorkers(List<String> config) throws IOException {
        return List.of(processes.worker("w1", config, 240), processes.worker("w2", config, 240));
    }

    /**
     * Waits for the learner (named {@code name}), then for the workers of {@link #startWorkers}; checks that the run
     * has all its iterations and trained every trajectory once, and returns its metrics.
     */
    private List<Map<String, Object>> assertFinishedTrainingEachOnce(Process learner, String name,
                                                                     List<Process> workers) throws Exception {
        processes.assertFinished(learner, name);
        processes.assertFinished(workers.get(0), "w1");
        processes.assertFinished(workers.get(1), "w2");
        List<Map<String, Object>> metrics = metrics(dir.resolve("run"));
        assertEquals(ITERATIONS, metrics.size());
        assertTrainedOnceEach(metrics);
        return metrics;
    }

    /** Every trained trajectory id appears in exactly one checkpointed iteration's batch, each batch full. */
    private static void assertTrainedOnceEach(List<Map<String, Object>> metrics) {
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> m : metrics) {
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) m.get("trajectory_ids");
            assertEquals(EPISODES, ids.size(), "batch of iteration " + m.get("iteration"));
            for (String id : ids) {
                assertTrue(seen.add(id), "trajectory " + id + " was trained twice");
            }
        }
    }

    /**
     * Redis's own counters: every trajectory appended was acknowledged once (as trained), dropped with a counted
     * reason, or is still in the stream for a later learner; the acknowledged ones are exactly the trained ones.
     */
    private void assertNothingLost(String namespace, List<Map<String, Object>> metrics) {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            Map<String, String> counters = jedis.hgetAll("it-" + namespace + ":counters");
            long appended = Long.parseLong(counters.getOrDefault("appended", "0"));
            long acknowledged = Long.parseLong(counters.getOrDefault("acknowledged", "0"));
            long dropped = counters.entrySet().stream().filter(e -> e.getKey().startsWith("dropped:"))
                    .mapToLong(e -> Long.parseLong(e.getValue())).sum();
            long left = jedis.xlen("it-" + namespace + ":trajectories");
            assertEquals((long) ITERATIONS * EPISODES, acknowledged, counters.toString());
            assertEquals(appended, acknowledged + dropped + left, counters + ", " + left + " left in the stream");
            assertTrue(metrics.stream().allMatch(m -> m.containsKey("buffer_dropped_total")));
        }
    }

    private List<String> config(String namespace) {
        return List.of("buffer=redis", "buffer.url=" + quickRedisUrl(redis.port()),
                "buffer.namespace=it-" + namespace, "buffer.claim_min_idle_ms=2000", "buffer.wait_log_ms=5000",
                "policy.preset=micro", "env.size=5",
                "trainer.iterations=" + ITERATIONS, "trainer.episodes_per_iteration=" + EPISODES,
                "trainer.group_size=4", "trainer.max_steps=8", "trainer.warm_start_episodes=16",
                "trainer.warm_start_epochs=2", "trainer.eval_every=" + ITERATIONS, "trainer.eval_episodes=8",
                "trainer.checkpoint_every=1", "trainer.epochs=1", "trainer.sample_trajectories=0");
    }
}

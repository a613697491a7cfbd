package dev.densify.cli.faults;

import static dev.densify.cli.DensifyProcesses.metrics;
import static dev.densify.cli.DensifyProcesses.metricsLines;
import static dev.densify.cli.DensifyProcesses.quickRedisUrl;
import static dev.densify.cli.DensifyProcesses.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.cli.DensifyProcesses;
import dev.densify.cli.PoisonedEntries;
import dev.densify.cli.PersistentRedis;
import dev.densify.core.train.Checkpoint;
import dev.densify.core.train.RunFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Issue 14's fault-injection suite, with real processes (the packaged {@code densify} command: learners, rollout
 * workers) and a real redis-server (AOF, fsync always, on a free loopback port). Every random choice derives from
 * {@link #SEED}. At the end it prints a table of the cases, their counts and outcomes (docs/reliability.md).
 *
 * <ul>
 *   <li>A learner SIGKILLed ({@link Process#destroyForcibly}) at {@link #KILLS} random points of a run fed by two
 *       workers, each time restarted with {@code --resume}; eight poisoned entries written into the stream between
 *       two of the kills. Every trajectory is trained exactly once (each id in one checkpointed iteration's batch),
 *       none is lost (Redis's counters: appended = trained + dropped by reason + left), every poisoned entry is
 *       dropped once under its reason, none trained.
 *   <li>Redis stopped for 10 s at a random point mid-run: learner and workers finish, each trajectory trained once.
 *   <li>Environments that throw, hang (deaf to interrupts), return NaN or infinite rewards, null or a 32 MiB
 *       observation ({@link FaultyEnvironmentProvider}, from a jar on the plugin path): every planted fault is
 *       dropped under its named reason and counted in metrics.jsonl, and the run completes.
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {
    private static final long SEED = 14;
    /** Learner kills in one run (-Dfaults.kills=N for another count; docs/reliability.md has the timings). */
    private static final int KILLS = Integer.getInteger("faults.kills", 20);
    private static final int EPISODES = 8;
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final List<String[]> TABLE = new ArrayList<>();

    private static PersistentRedis redis;

    @TempDir
    Path dir;
    private DensifyProcesses processes;

    @BeforeAll
    static void startRedis() throws IOException {
        assertTrue(Files.isRegularFile(DensifyProcesses.jar()), DensifyProcesses.jar()
                + " is missing: integration tests run after package");
        redis = PersistentRedis.start("densify-faults-redis-");
    }

    /**
     * One engine thread each, a capped heap, the quick JIT tier and the serial collector: several JVMs share two
     * cores here; engine decoding keeps the workers at the pace the poison timing was tuned on (the Java path let
     * them run thousands of entries ahead, and the run ended before it met the poison).
     */
    @BeforeEach
    void processesInTheTestsFolder() {
        processes = new DensifyProcesses(dir, Duration.ofSeconds(240), "-Ddensify.decoding=engine",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Xmx600m",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }

    @AfterAll
    static void stopRedisAndPrintTheTable() throws IOException {
        redis.stop();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%nFault-injection suite (seed %d)%n", SEED));
        out.append(row("case", "count", "outcome")).append(row("---", "---", "---"));
        TABLE.forEach(r -> out.append(row(r)));
        System.out.print(out);
    }

    private static String row(String... cells) {
        return String.format(Locale.ROOT, "| %s | %s | %s |%n", (Object[]) cells);
    }

    private static void record(String name, Object count, String outcome) {
        TABLE.add(new String[] {name, String.valueOf(count), outcome});
    }

    @Test
    @Order(1)
    void aLearnerKilledAtRandomPointsTrainsEveryTrajectoryExactlyOnceAndDropsEveryPoisonOnce() throws Exception {
        String namespace = "faults-kill";
        // targets leave at least three iterations for after the last kill, so that every kill finds a live learner
        int iterations = Math.max(6, KILLS / 2 + 3);
        List<String> config = redisConfig(namespace, iterations);
        Path run = dir.resolve("run");
        SplittableRandom random = new SplittableRandom(SEED);
        // a kill point: {iterations on record first, or -1 for a kill while starting up or resuming; ms after that}
        List<int[]> schedule = new ArrayList<>();
        List<int[]> starting = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            if (random.nextInt(5) == 0) {
                starting.add(new int[] {-1, random.nextInt(3000)});
            } else {
                schedule.add(new int[] {random.nextInt(iterations - 2), random.nextInt(3000)});
            }
        }
        schedule.sort((a, b) -> Integer.compare(a[0], b[0]));
        for (int[] point : starting) {
            schedule.add(random.nextInt(schedule.size() + 1), point);
        }

        long start = System.nanoTime();
        Process learner = processes.start("learner-0", with(List.of("train", "--run-dir", run.toString()), config));
        Process w1 = processes.worker("w1", config, 600);
        Process w2 = processes.worker("w2", config, 600);
        Map<String, String> poison = Map.of();
        int startingKills = 0;
        int freshStarts = 0;
        List<Integer> killedAtLines = new ArrayList<>();
        for (int k = 0; k < schedule.size(); k++) {
            int[] point = schedule.get(k);
            String name = "learner-" + k;
            if (point[0] < 0) {
                startingKills++;
            } else {
                // running: it has published its fingerprint (it is up) and the run has this many iterations
                processes.awaitLog(name, "learner run fingerprint", learner);
                processes.awaitMetricsLines(run, point[0], learner, name);
            }
            sleepBeforeTheLastIteration(point[1], run, iterations);
            assertTrue(learner.isAlive(), "kill point " + k + " found the learner ended: " + processes.tail(name));
            killedAtLines.add(metricsLines(run));
            learner.destroyForcibly().waitFor();
            if (poison.isEmpty() && point[0] >= 0) {
                // into the stream the killed learner left, for the next ones to meet; early, while the workers'
                // backlog is short: the run must reach the poison before it ends, however fast the workers are
                poison = injectPoison(namespace);
            }
            // as a user would: --resume once there is a checkpoint; before the first, nothing was trained, start over
            if (Checkpoint.latestFolder(run.resolve("checkpoints")).isPresent()) {
                learner = processes.start("learner-" + (k + 1), List.of("train", "--resume", run.toString()));
            } else {
                freshStarts++;
                learner = processes.start("learner-" + (k + 1), with(List.of("train", "--run-dir", run.toString(),
                        "--overwrite"), config));
            }
        }
        processes.assertFinished(learner, "learner-" + schedule.size());
        processes.assertFinished(w1, "w1");
        processes.assertFinished(w2, "w2");
        double seconds = (System.nanoTime() - start) / 1e9;

        List<Map<String, Object>> metrics = metrics(run);
        assertEquals(iterations, metrics.size());
        Set<String> trained = assertTrainedOnceEach(metrics);
        assertEquals(8, poison.size(), "the poison was written");
        Map<String, String> counters = assertNothingLost(namespace, iterations, poison.size());
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            long deadLetters = jedis.xlen(namespace + ":dead-letter");
            assertEquals(poison.size(), deadLetters, "one dead letter per poisoned entry: " + counters);
        }
        Map<String, Long> perReason = new TreeMap<>();
        poison.values().forEach(r -> perReason.merge(r, 1L, Long::sum));
        perReason.forEach((reason, n) -> assertEquals(String.valueOf(n), counters.get("dropped:" + reason),
                reason + " in " + counters));
        assertTrue(trained.stream().noneMatch(id -> id.startsWith("p-")), "a poisoned trajectory was trained");

        record("learner SIGKILLed, restarted with --resume (" + freshStarts + " killed before its first checkpoint"
                + " restarted with --overwrite; " + startingKills + " kills while starting up or resuming, the others"
                + " 0-3 s into training; iterations on record at the kills: " + killedAtLines + ")",
                schedule.size() + " kills", String.format(Locale.ROOT, "%d iterations, %d trajectories"
                + " trained once each, 0 twice, 0 lost (appended %s + poison 8 = acknowledged %s + dropped %s (%s)"
                + " + left %s); %.0f s", iterations, trained.size(), counters.get("appended"),
                counters.get("acknowledged"), dropped(counters), droppedByReason(counters), left(namespace), seconds));
        poison.forEach((name, reason) -> record("poisoned entry between kills: " + name, "1 of "
                + perReason.get(reason) + " " + reason, "dropped (" + reason + " counter "
                + counters.get("dropped:" + reason) + "), dead-lettered, never trained"));
    }

    @Test
    @Order(2)
    void aRunRidesOutRedisStoppedForTenSeconds() throws Exception {
        String namespace = "faults-outage";
        int iterations = 4;
        List<String> config = redisConfig(namespace, iterations);
        Path run = dir.resolve("run");
        SplittableRandom random = new SplittableRandom(SEED + 1);
        int afterLines = 1 + random.nextInt(iterations - 2);
        int delay = random.nextInt(2000);
        Process learner = processes.start("learner", with(List.of("train", "--run-dir", run.toString()), config));
        Process w1 = processes.worker("w1", config, 600);
        Process w2 = processes.worker("w2", config, 600);
        processes.awaitMetricsLines(run, afterLines, learner, "learner");
        Thread.sleep(delay);
        redis.stop();
        Thread.sleep(10_000);
        redis.start();
        processes.assertFinished(learner, "learner");
        processes.assertFinished(w1, "w1");
        processes.assertFinished(w2, "w2");

        List<Map<String, Object>> metrics = metrics(run);
        assertEquals(iterations, metrics.size());
        Set<String> trained = assertTrainedOnceEach(metrics);
        Map<String, String> counters = assertNothingLost(namespace, iterations, 0);
        record("Redis stopped for 10 s, " + delay + " ms after iteration " + afterLines + " of " + iterations,
                "1 outage", String.format(Locale.ROOT, "learner and 2 workers exit 0; %d trajectories trained once"
                        + " each, 0 lost (appended %s = acknowledged %s + dropped %s (%s) + left %s)", trained.size(),
                        counters.get("appended"), counters.get("acknowledged"), dropped(counters),
                        droppedByReason(counters), left(namespace)));
    }

    @Test
    @Order(3)
    void faultyEnvironmentsAreDroppedWithANamedReasonAndTheRunCompletes() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        jarTheFaultyEnvironment(plugins.resolve("faulty-env.jar"));
        Path journal = dir.resolve("planted.txt");
        int iterations = 2;
        int episodes = 20;
        Path run = dir.resolve("run");
        Process training = processes.start("faulty", List.of("--plugin-path", plugins.toString(), "train",
                "--run-dir", run.toString(), "env=faulty", "env.journal=" + journal, "env.period=" + episodes,
                "policy.preset=micro", "trainer.iterations=" + iterations, "trainer.episodes_per_iteration="
                        + episodes, "trainer.group_size=4", "trainer.warm_start_episodes=0", "trainer.eval_every=0",
                "trainer.sample_trajectories=0", "trainer.step_timeout_ms=1000",
                // ten of every twenty episodes fail on purpose; the default (0.2) would rightly stop the run
                "trainer.max_failure_fraction=0.6"));
        processes.assertFinished(training, "faulty");

        List<Map<String, Object>> metrics = metrics(run);
        assertEquals(iterations, metrics.size(), "the run completed");
        Map<String, Long> counted = new TreeMap<>();
        for (Map<String, Object> m : metrics) {
            @SuppressWarnings("unchecked")
            Map<String, Number> failures = (Map<String, Number>) m.get("failures");
            failures.forEach((reason, n) -> counted.merge(reason, n.longValue(), Long::sum));
        }
        Map<String, Long> planted = new TreeMap<>();
        Files.readAllLines(journal).forEach(f -> planted.merge(f, 1L, Long::sum));
        List<String> dropped = Files.readAllLines(dir.resolve("faulty.err")).stream()
                .filter(l -> l.contains("dropped episode")).toList();
        Map<String, Long> expected = new TreeMap<>();
        for (Fault fault : Fault.values()) {
            long n = planted.getOrDefault(fault.name(), 0L);
            long logged = dropped.stream().filter(l -> l.contains(fault.logged())).count();
            assertEquals(iterations, n, fault + " planted once per iteration");
            assertEquals(n, logged, fault + ": one 'dropped episode' line each, naming it: " + dropped);
            expected.merge(fault.reason(), n, Long::sum);
            record("environment: " + fault.label(), n + " planted", n == logged ? "dropped, logged as '"
                    + fault.logged() + "...', counted as " + fault.reason() + "; run completed" : "NOT CONTAINED");
        }
        assertEquals(expected, counted, "failures in metrics.jsonl by reason");
        assertEquals(dropped.size(), counted.values().stream().mapToLong(Long::longValue).sum(), dropped.toString());
    }

    /** The test plugin's classes (from the test classes) with its defaults file and services line, as a jar. */
    private static void jarTheFaultyEnvironment(Path jar) throws IOException {
        Path classes = BASEDIR.resolve("target/test-classes");
        Path fixture = BASEDIR.resolve("src/test/fixtures/faulty");
        Map<String, Path> entries = new TreeMap<>();
        try (Stream<Path> files = Files.walk(classes.resolve("dev/densify/cli/faults"))) {
            files.filter(p -> p.getFileName().toString().matches("Fault(y\\w*)?(\\$\\w+)?\\.class"))
                    .forEach(p -> entries.put(classes.relativize(p).toString().replace('\\', '/'), p));
        }
        try (Stream<Path> files = Files.walk(fixture)) {
            files.filter(Files::isRegularFile)
                    .forEach(p -> entries.put(fixture.relativize(p).toString().replace('\\', '/'), p));
        }
        assertTrue(entries.keySet().containsAll(List.of("dev/densify/cli/faults/Fault.class",
                "dev/densify/cli/faults/FaultyEnvironment.class", "dev/densify/cli/faults/FaultyEnvironmentProvider.class",
                "META-INF/densify/env/faulty.yaml")), entries.keySet().toString());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Map.Entry<String, Path> e : entries.entrySet()) {
                out.putNextEntry(new JarEntry(e.getKey()));
                out.write(Files.readAllBytes(e.getValue()));
                out.closeEntry();
            }
        }
    }

    /** {@link PoisonedEntries} stamped with the fingerprint the learner of the run in {@code namespace} published. */
    private static Map<String, String> injectPoison(String namespace) {
        try (Jedis admin = new Jedis("127.0.0.1", redis.port())) {
            String json = admin.get(namespace + ":run:fingerprint");
            assertTrue(json != null, "no learner published its fingerprint before the poison");
            return PoisonedEntries.write(admin, namespace, RunFingerprint.fromJson(json, "fingerprint").digest());
        }
    }

    /** Every trained trajectory id is in exactly one checkpointed iteration's batch, each batch full. */
    private static Set<String> assertTrainedOnceEach(List<Map<String, Object>> metrics) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            Map<String, Object> m = metrics.get(i);
            assertEquals(i, ((Number) m.get("iteration")).intValue(), "iterations on record in order");
            @SuppressWarnings("unchecked")
            List<String> ids = (List<String>) m.get("trajectory_ids");
            assertEquals(EPISODES, ids.size(), "batch of iteration " + i);
            for (String id : ids) {
                assertTrue(seen.add(id), "trajectory " + id + " was trained twice");
            }
        }
        return seen;
    }

    /**
     * Redis's own counters: every trajectory appended was acknowledged once (as trained), dropped with a counted
     * reason, or is still in the stream; the acknowledged ones are exactly as many as were trained. Entries written
     * past the buffer ({@code injected}, the poison) are not counted as appended but are dropped like the others.
     */
    private static Map<String, String> assertNothingLost(String namespace, int iterations, int injected) {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            Map<String, String> counters = jedis.hgetAll(namespace + ":counters");
            long appended = Long.parseLong(counters.getOrDefault("appended", "0"));
            long acknowledged = Long.parseLong(counters.getOrDefault("acknowledged", "0"));
            assertEquals((long) iterations * EPISODES, acknowledged, counters.toString());
            assertEquals(appended + injected, acknowledged + dropped(counters) + left(namespace), counters + ", "
                    + left(namespace) + " left in the stream");
            return counters;
        }
    }

    /** The drops by reason, "stale 880, duplicate 8, ...". */
    private static String droppedByReason(Map<String, String> counters) {
        return counters.entrySet().stream().filter(e -> e.getKey().startsWith("dropped:"))
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey().substring("dropped:".length()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static long dropped(Map<String, String> counters) {
        return counters.entrySet().stream().filter(e -> e.getKey().startsWith("dropped:"))
                .mapToLong(e -> Long.parseLong(e.getValue())).sum();
    }

    private static long left(String namespace) {
        try (Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            return jedis.xlen(namespace + ":trajectories");
        }
    }

    private List<String> redisConfig(String namespace, int iterations) {
        return List.of("buffer=redis", "buffer.url=" + quickRedisUrl(redis.port()), "buffer.namespace=" + namespace,
                "buffer.claim_min_idle_ms=2000", "buffer.wait_log_ms=5000", "policy.preset=micro", "env.size=5",
                // the word view's longer prompts: the pace the kill schedule and the poison timing were tuned on
                "env.view=local",
                "trainer.iterations=" + iterations, "trainer.episodes_per_iteration=" + EPISODES,
                "trainer.group_size=4", "trainer.max_steps=8", "trainer.warm_start_episodes=0",
                "trainer.eval_every=0", "trainer.checkpoint_every=1", "trainer.epochs=1",
                "trainer.sample_trajectories=0");
    }

    /**
     * Waits the kill point's delay, but no longer than until the run's last iteration has begun: a faster loop must
     * not let the learner finish before the kill (the delay is in milliseconds, the iterations' pace is the machine's).
     */
    private static void sleepBeforeTheLastIteration(long millis, Path run, int iterations) throws Exception {
        long until = System.nanoTime() + millis * 1_000_000L;
        while (System.nanoTime() < until && metricsLines(run) < iterations - 1) {
            Thread.sleep(10);
        }
    }
}

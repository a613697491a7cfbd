package dev.densify.core.bench;

import dev.densify.api.API;
import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.api.buffer.Delivery;
import dev.densify.core.buffer.RedisBufferConfig;
import dev.densify.core.buffer.RedisTrajectoryBuffer;
import dev.densify.core.buffer.TrajectoryCodec;
import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisSettings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import redis.clients.jedis.params.XAddParams;

/**
 * Throughput of the Redis trajectory buffer for gridworld-like trajectories (10 steps, 60 prompt tokens and 4
 * action tokens per step) against raw {@code XADD} of payloads of the same size, measured in the same run on the
 * same server, so the ratio says what the buffer's encoding, dedup and bookkeeping cost.
 *
 * <p>Run by {@code densify bench buffer} (or the test tree's {@code EmbeddedRedisBufferBenchmark}). Every phase runs once
 * untimed, then the median of three timed runs is reported. Keys live under a fresh {@code bench:<uuid>} namespace, deleted at the end.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class BufferBenchmark {

    private static final int STEPS = 10;
    private static final int BATCH = 64;
    private static final int REPETITIONS = 3;

    private final RedisSettings settings;
    private final int count;
    private final PrintStream out;
    private final List<Trajectory> trajectories;
    private final List<String> namespaces = new ArrayList<>();

    private BufferBenchmark(RedisSettings settings, int count, PrintStream out) {
        this.settings = settings;
        this.count = count;
        this.out = out;
        Random random = new Random(42);
        this.trajectories = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            trajectories.add(gridworldLike("traj-" + UUID.randomUUID(), random));
        }
    }

    /** Runs every phase against {@code settings}' server and prints the table to {@code out}. */
    public static void run(RedisSettings settings, int count, PrintStream out) throws Exception {
        new BufferBenchmark(settings, count, out).run();
    }

    /** A trajectory shaped like a gridworld episode: short observations, a small maze picture, few tokens. */
    public static Trajectory gridworldLike(String id, Random random) {
        List<Step> steps = new ArrayList<>(STEPS);
        for (int i = 0; i < STEPS; i++) {
            int[] prompt = random.ints(60, 0, 32_000).toArray();
            int[] action = random.ints(4, 0, 32_000).toArray();
            float[] logp = new float[action.length];
            for (int t = 0; t < logp.length; t++) {
                logp[t] = (float) Math.log(random.nextDouble() + 1e-9);
            }
            steps.add(new Step("You are at (" + i + ", 2). Walls to the north and east. The goal is south-west.",
                    "r2c" + i, "#######\n#A....#\n#.###.#\n#....G#\n#######", prompt, "move south", action, logp,
                    0.0, i == STEPS - 1, Map.of()));
        }
        return new Trajectory(id, "maze-7x5-3", "iter-1-task-3", random.nextLong(), 3, steps,
                "You reached the goal.", "goal", new Outcome(1.0, true), true);
    }

    private void run() throws Exception {
        byte[] sample = TrajectoryCodec.encode(trajectories.get(0));
        out.printf(Locale.ROOT, "Redis %s, %d trajectories of %d steps, %d bytes encoded each, Java %s, %d cpus,"
                + " load average %.1f%n", settings.address(), count, STEPS, sample.length, Runtime.version(),
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        List<Row> rows = new ArrayList<>();
        rows.add(measureCall("codec encode (no Redis)", false, n -> {
            for (int i = 0; i < n; i++) {
                TrajectoryCodec.encode(trajectories.get(i));
            }
        }));
        List<byte[]> encoded = trajectories.stream().map(TrajectoryCodec::encode).toList();
        rows.add(measureCall("codec decode (no Redis)", false, n -> {
            for (int i = 0; i < n; i++) {
                TrajectoryCodec.decode(encoded.get(i));
            }
        }));
        try (RedisConnection connection = RedisConnection.open(settings, "densify-bench")) {
            Row raw = measureCall("raw XADD, same payload", true, n -> rawXadd(connection, encoded, n));
            rows.add(raw);
            Row append = measureCall("buffer append", true, n -> {
                try (var buffer = newBuffer(connection)) {
                    append(buffer, n);
                }
            });
            rows.add(append);
            Row consume = measureTimed("buffer take + ack", true, n -> {
                try (var buffer = newBuffer(connection)) {
                    append(buffer, n);
                    long start = System.nanoTime();
                    drain(buffer, n);
                    return System.nanoTime() - start;
                }
            });
            rows.add(consume);
            double sequential = 1.0 / (1.0 / append.perSecond() + 1.0 / consume.perSecond());
            rows.add(new Row("buffer append + take + ack", true, sequential));
            Row concurrent = measureTimed("  same, producer and learner threads", true, n -> concurrent(connection, n));
            rows.add(concurrent);
            print(rows, raw.perSecond(), sequential);
            for (String namespace : namespaces) {
                connection.call("DEL", c -> c.del(namespace + ":trajectories", namespace + ":settled",
                        namespace + ":counters"));
            }
        }
    }

    private RedisTrajectoryBuffer newBuffer(RedisConnection connection) {
        var config = RedisBufferConfig.defaults("bench:" + UUID.randomUUID()).withMaxLength(count + 1_000L);
        namespaces.add(config.namespace());
        return new RedisTrajectoryBuffer(connection, config);
    }

    private void append(RedisTrajectoryBuffer buffer, int n) throws InterruptedException {
        buffer.take(1, Duration.ZERO); // the learner's group exists first, as in a run
        for (int i = 0; i < n; i++) {
            buffer.append(trajectories.get(i));
        }
    }

    private static void drain(RedisTrajectoryBuffer buffer, int n) throws InterruptedException {
        int seen = 0;
        while (seen < n) {
            List<Delivery> batch = buffer.take(BATCH, Duration.ofSeconds(5));
            if (batch.isEmpty()) {
                throw new IllegalStateException("the stream ran dry after " + seen + " of " + n);
            }
            buffer.acknowledge(batch);
            seen += batch.size();
        }
    }

    private long concurrent(RedisConnection connection, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (var buffer = newBuffer(connection)) {
            buffer.take(1, Duration.ZERO);
            long start = System.nanoTime();
            Future<?> producer = pool.submit(() -> {
                for (int i = 0; i < n; i++) {
                    buffer.append(trajectories.get(i));
                }
                return null;
            });
            drain(buffer, n);
            producer.get();
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    private void rawXadd(RedisConnection connection, List<byte[]> payloads, int n) {
        String key = "bench:raw:" + UUID.randomUUID();
        byte[] keyBytes = key.getBytes(StandardCharsets.UTF_8);
        byte[] field = "trajectory".getBytes(StandardCharsets.UTF_8);
        XAddParams params = XAddParams.xAddParams().maxLen(count + 1_000L).approximateTrimming();
        for (int i = 0; i < n; i++) {
            byte[] payload = payloads.get(i);
            connection.call("XADD", c -> c.xadd(keyBytes, params, Map.of(field, payload)));
        }
        connection.call("DEL", c -> c.del(key));
    }

    /**
     * Times a phase that reports its own duration in nanoseconds (to leave out its set-up): one untimed run to
     * let the JIT compile the code path, then the median of {@value #REPETITIONS} timed runs.
     */
    private Row measureTimed(String name, boolean redis, TimedPhase phase) throws Exception {
        phase.run(count);
        long[] nanos = new long[REPETITIONS];
        for (int i = 0; i < REPETITIONS; i++) {
            nanos[i] = phase.run(count);
        }
        java.util.Arrays.sort(nanos);
        return new Row(name, redis, count * 1e9 / nanos[REPETITIONS / 2]);
    }

    /** Times a whole phase. */
    private Row measureCall(String name, boolean redis, Phase phase) throws Exception {
        return measureTimed(name, redis, n -> {
            long start = System.nanoTime();
            phase.run(n);
            return System.nanoTime() - start;
        });
    }

    private void print(List<Row> rows, double rawPerSecond, double bufferPerSecond) {
        out.println();
        out.printf(Locale.ROOT, "%-40s %14s %14s %10s%n", "phase", "trajectories/s", "steps/s", "vs XADD");
        for (Row row : rows) {
            out.printf(Locale.ROOT, "%-40s %14.0f %14.0f %10s%n", row.name(), row.perSecond(),
                    row.perSecond() * STEPS, row.redis()
                            ? String.format(Locale.ROOT, "%.2f", row.perSecond() / rawPerSecond) : "");
        }
        out.printf(Locale.ROOT, "%nbuffer (append + take + ack, sequential) / raw XADD = %.2f%n",
                bufferPerSecond / rawPerSecond);
    }

    private record Row(String name, boolean redis, double perSecond) {}

    /** Work over n trajectories. */
    private interface Phase {
        void run(int n) throws Exception;
    }

    /** Work over n trajectories that returns how many nanoseconds of it to count. */
    private interface TimedPhase {
        long run(int n) throws Exception;
    }
}

package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.env.Outcome;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.buffer.BufferStatus;
import dev.densify.api.buffer.Delivery;
import dev.densify.core.buffer.DropReason;
import dev.densify.core.buffer.RedisBufferConfig;
import dev.densify.core.buffer.RedisTrajectoryBuffer;
import dev.densify.core.buffer.RemoteSettings;
import dev.densify.core.buffer.TrajectoryCodec;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.StreamEntryID;
import redis.clients.jedis.params.XAddParams;
import redis.clients.jedis.params.XReadGroupParams;
import redis.clients.jedis.resps.StreamEntry;

/**
 * Issue 14, item 1: a trajectory that crosses a process boundary is validated on arrival. Each poisoned entry is put
 * into the stream exactly as a hostile or broken worker would put it (raw XADD, stamped with the learner's
 * fingerprint so that validation, not the fingerprint check, must catch it), between two valid groups. The real
 * learner side ({@link RemoteCollection} with a real micro policy and a real redis-server) must train the valid
 * groups only, count the poison under its reason, copy it to the dead-letter stream, and a restarted learner must
 * not see it again.
 */
class PoisonedTrajectoryIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.ephemeral();

    private static final int GROUP_SIZE = 2;
    private static final int MAX_STEPS = 5;
    private static final TaskSet TASKS = new TaskSet(
            List.of(new Task("maze-1", "reach the goal", Map.of()), new Task("maze-2", "reach the goal", Map.of())),
            List.of(new Task("held-1", "reach the goal", Map.of())));
    private static final List<String> VALID = List.of("ok-a", "ok-b", "ok-c", "ok-d");

    private static LlamaModel model;
    private static ExecutorService executor;
    /** What each case measured, printed as a table after the class (docs/reliability.md records it). */
    private static final List<Row> ROWS = java.util.Collections.synchronizedList(new ArrayList<>());

    private static final class Row {
        final String name;
        final String reason;
        String dropped = "-";
        String deadLetters = "-";
        String trained = "-";
        String afterRestart = "-";
        String outcome = "FAILED";

        Row(String name, String reason) {
            this.name = name;
            this.reason = reason;
        }
    }

    @BeforeAll
    static void setUp() {
        model = TrainingRun.policy(new PolicySettings("micro", "", 1.0, 0, 1.0, 8), 1);
        executor = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void tearDown() {
        executor.shutdownNow();
        model.close();
        printTable();
    }

    // Tests report figures here as the fault-injection suite's table; assertions above decide pass or fail.
    private static void printTable() {
        String format = "| %-50s | %-19s | %-7s | %-12s | %-8s | %-30s | %-7s |%n";
        StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, format, "case", "reason", "dropped",
                "dead letters", "trained", "after learner restart", "outcome"));
        sb.append(String.format(java.util.Locale.ROOT, format, "---", "---", "---", "---", "---", "---", "---"));
        synchronized (ROWS) {
            for (Row r : ROWS) {
                sb.append(String.format(java.util.Locale.ROOT, format, r.name, r.reason, r.dropped, r.deadLetters,
                        r.trained, r.afterRestart, r.outcome));
            }
        }
        System.out.print("\nPoisoned input, real Redis, real learner side (RemoteCollection):\n" + sb);
    }

    /** A poisoned entry: what a case writes into the stream (fields) and the reason it must be dropped for. */
    record Poison(String reason, Function<String, Map<byte[], byte[]>> fields) {}

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("token id -1", poison(DropReason.INVALID_TOKENS, withPromptToken(-1))),
                Arguments.of("token id 5000000", poison(DropReason.INVALID_TOKENS, withPromptToken(5_000_000))),
                Arguments.of("action token id at the vocabulary size", poison(DropReason.INVALID_TOKENS,
                        t -> withSteps(t, List.of(step(new int[] {1, 2}, new int[] {model.config().vocabSize()},
                                new float[] {-0.5f}, 0.0))))),
                Arguments.of("NaN step reward", poison(DropReason.NON_FINITE, withReward(Double.NaN))),
                Arguments.of("Infinity step reward", poison(DropReason.NON_FINITE,
                        withReward(Double.POSITIVE_INFINITY))),
                Arguments.of("NaN outcome", poison(DropReason.NON_FINITE, t -> new Trajectory(t.id(), t.taskId(),
                        t.groupId(), t.seed(), t.policyVersion(), t.steps(), t.finalObservation(),
                        t.finalStateKey(), new Outcome(Double.NaN, true), t.terminated()))),
                Arguments.of("-Infinity log-prob", poison(DropReason.NON_FINITE, t -> withSteps(t, List.of(
                        step(new int[] {1, 2}, new int[] {3}, new float[] {Float.NEGATIVE_INFINITY}, 0.0))))),
                Arguments.of("too many steps", poison(DropReason.TOO_MANY_STEPS, t -> withSteps(t,
                        java.util.Collections.nCopies(MAX_STEPS + 1, step(new int[] {1, 2}, new int[] {3},
                                new float[] {-0.5f}, 0.0))))),
                Arguments.of("prompt longer than the context", poison(DropReason.INVALID_TOKENS, t -> withSteps(t,
                        List.of(step(new int[model.config().maxSeqLen()], new int[] {3}, new float[] {-0.5f}, 0.0))))),
                Arguments.of("unknown task", poison(DropReason.UNKNOWN_TASK, t -> withTask(t, "maze-999"))),
                Arguments.of("held-out task", poison(DropReason.UNKNOWN_TASK, t -> withTask(t, "held-1"))),
                Arguments.of("future policy version", poison(DropReason.FUTURE_POLICY, t -> new Trajectory(t.id(),
                        t.taskId(), t.groupId(), t.seed(), 1_000_000, t.steps(), t.finalObservation(),
                        t.finalStateKey(), t.outcome(), t.terminated()))),
                Arguments.of("wrong group size (a third member of a group of 2)", poison(DropReason.GROUP_SIZE,
                        t -> new Trajectory(t.id(), t.taskId(), "g-ok", t.seed(), t.policyVersion(), t.steps(),
                                t.finalObservation(), t.finalStateKey(), t.outcome(), t.terminated()))),
                Arguments.of("no trajectory field", new Poison(DropReason.MALFORMED,
                        fp -> fields("something", "else", "fingerprint", fp))),
                Arguments.of("foreign fingerprint", new Poison(DropReason.FOREIGN_FINGERPRINT,
                        fp -> fields("trajectory", json(trajectory("bad", "g-bad")), "fingerprint", "0abc"))),
                Arguments.of("no fingerprint", new Poison(DropReason.FOREIGN_FINGERPRINT,
                        fp -> fields("trajectory", json(trajectory("bad", "g-bad"))))),
                Arguments.of("not JSON", new Poison(DropReason.UNDECODABLE,
                        fp -> fields("trajectory", "\u0000garbage{", "fingerprint", fp))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @DisplayName("a poisoned entry is dropped, counted, dead-lettered, and a restarted learner does not see it again")
    void poisonedEntry(String name, Poison poison) throws Exception {
        Row row = new Row(name, poison.reason());
        try {
            poisonedEntry(poison, row);
            row.outcome = "ok";
        } finally {
            ROWS.add(row);
        }
    }

    private void poisonedEntry(Poison poison, Row row) throws Exception {
        RemoteSettings settings = settings();
        String deadLetterKey = settings.bufferConfig("learner").deadLetterKey();
        Map<byte[], byte[]> written;
        try (RemoteCollection learner = learner(settings); Jedis admin = REDIS.admin()) {
            Future<BatchSource.Batch> next = nextBatch(learner);
            String fp = publishedDigest(admin, settings);
            String stream = settings.bufferConfig("learner").streamKey();
            xadd(admin, stream, valid("ok-a", "g-ok", fp));
            xadd(admin, stream, valid("ok-b", "g-ok", fp));
            written = poison.fields().apply(fp);
            xadd(admin, stream, written);
            xadd(admin, stream, valid("ok-c", "g-ok2", fp));
            xadd(admin, stream, valid("ok-d", "g-ok2", fp));

            BatchSource.Batch batch = next.get(60, TimeUnit.SECONDS);
            BufferStatus status = status(settings);
            row.trained = ids(batch).stream().filter(VALID::contains).count() + " of " + VALID.size();
            row.dropped = Long.toString(status.dropped().getOrDefault(poison.reason(), 0L));
            row.deadLetters = Long.toString(status.deadLetters());
            assertEquals(Set.copyOf(VALID), ids(batch), "the batch holds the valid trajectories only");
            assertEquals(Map.of(poison.reason(), 1L), status.dropped(), "counted once, under its reason");
            assertEquals(1, status.deadLetters());
            assertEquals(1, admin.xlen(deadLetterKey));
            StreamEntry dead = admin.xrange(deadLetterKey, (StreamEntryID) null, null).get(0);
            assertEquals(poison.reason(), dead.getFields().get("reason"));
            assertTrue(!dead.getFields().get("detail").isBlank(), "the dead letter says what was wrong");
            byte[] payload = written.entrySet().stream()
                    .filter(e -> new String(e.getKey(), StandardCharsets.UTF_8).equals("trajectory"))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
            if (payload != null) {
                assertEquals(new String(payload, StandardCharsets.UTF_8), dead.getFields().get("entry.trajectory"),
                        "the dead letter keeps the entry as written");
            }
            if (!Set.of(DropReason.MALFORMED, DropReason.FOREIGN_FINGERPRINT, DropReason.UNDECODABLE)
                    .contains(poison.reason())) {
                assertEquals(Map.of(poison.reason(), 1), batch.metrics().get("buffer_rejected"));
            }
            // the learner "crashes" here: nothing acknowledged, the valid deliveries stay pending
        }
        try (RemoteCollection restarted = learner(settings)) {
            BatchSource.Batch again = nextBatch(restarted).get(60, TimeUnit.SECONDS);
            BufferStatus status = status(settings);
            row.afterRestart = (status.droppedTotal() == 1 && status.deadLetters() == 1
                    ? "not seen again" : "SEEN AGAIN") + ", " + again.deliveries().size() + " redelivered";
            assertEquals(Set.copyOf(VALID), ids(again), "the pending valid ones come back, the poison does not");
            assertEquals(Map.of(poison.reason(), 1L), status.dropped(), "no second count");
            assertEquals(1, status.deadLetters(), "no second dead letter");
            assertEquals(0, status.pending() - VALID.size(), "nothing but the valid ones is pending");
        }
    }

    @Test
    @DisplayName("a poisoned entry left pending by a crashed learner is taken over once and dropped, not retried")
    void pendingPoisonOfCrashedLearner() throws Exception {
        Row row = new Row("NaN reward pending at a dead learner, 3 restarts", DropReason.NON_FINITE);
        try {
            pendingPoisonOfCrashedLearner(row);
            row.outcome = "ok";
        } finally {
            ROWS.add(row);
        }
    }

    private void pendingPoisonOfCrashedLearner(Row row) throws Exception {
        RemoteSettings settings = settings();
        String stream = settings.bufferConfig("learner").streamKey();
        try (Jedis admin = REDIS.admin()) {
            // the first learner publishes its fingerprint, then dies with a NaN trajectory delivered to it
            String firstFingerprint;
            try (RemoteCollection first = learner(settings)) {
                Future<BatchSource.Batch> waiting = nextBatch(first);
                firstFingerprint = publishedDigest(admin, settings);
                waiting.cancel(true);
            }
            // A read the closed learner had blocked in returns within MAX_BLOCK: after that nobody but learner-dead
            // reads the stream, so the entry is pending at learner-dead alone (before, the live learner could take
            // it first and drop it, leaving nothing pending).
            Thread.sleep(RedisConnection.MAX_BLOCK.toMillis() + 500);
            xadd(admin, stream, fields("trajectory", json(withReward(Double.NaN).apply(trajectory("nan", "g-x"))),
                    "fingerprint", firstFingerprint));
            try {
                admin.xgroupCreate(stream, "learners", new StreamEntryID(0, 0), true);
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                // BUSYGROUP: the learner's take created it first
            }
            admin.xreadGroup("learners", "learner-dead", XReadGroupParams.xReadGroupParams().count(10),
                    Map.of(stream, StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY));
            assertEquals(1, admin.xpending(stream, "learners").getTotal());
            Thread.sleep(300); // longer than claim_min_idle_ms: learner-dead is presumed dead
            int trained = 0;
            for (int restart = 0; restart < 3; restart++) {
                try (RemoteCollection next = learner(settings)) {
                    Future<BatchSource.Batch> batch = nextBatch(next);
                    String fp = publishedDigest(admin, settings);
                    xadd(admin, stream, valid("r" + restart + "-a", "g-r" + restart, fp));
                    xadd(admin, stream, valid("r" + restart + "-b", "g-r" + restart, fp));
                    xadd(admin, stream, valid("r" + restart + "-c", "g-r" + restart + "x", fp));
                    xadd(admin, stream, valid("r" + restart + "-d", "g-r" + restart + "x", fp));
                    trained += batch.get(60, TimeUnit.SECONDS).deliveries().size();
                    assertEquals(4, batch.get().deliveries().size());
                    next.acknowledge(batch.get().deliveries());
                }
                BufferStatus status = status(settings);
                row.dropped = Long.toString(status.dropped().getOrDefault(DropReason.NON_FINITE, 0L));
                row.deadLetters = Long.toString(status.deadLetters());
                row.trained = trained + " of " + (restart + 1) * 4;
                row.afterRestart = "taken over once, " + admin.xpending(stream, "learners").getTotal() + " pending";
                assertEquals(Map.of(DropReason.NON_FINITE, 1L), status.dropped(), "restart " + restart);
                assertEquals(0, admin.xpending(stream, "learners").getTotal(), "restart " + restart);
            }
        }
    }

    // ---- helpers

    private static Poison poison(String reason, Function<Trajectory, Trajectory> change) {
        return new Poison(reason, fp -> fields("trajectory", json(change.apply(trajectory("bad", "g-bad"))),
                "fingerprint", fp));
    }

    private static Function<Trajectory, Trajectory> withPromptToken(int id) {
        return t -> withSteps(t, List.of(step(new int[] {1, id, 2}, new int[] {3}, new float[] {-0.5f}, 0.0)));
    }

    private static Function<Trajectory, Trajectory> withReward(double reward) {
        return t -> withSteps(t, List.of(step(new int[] {1, 2}, new int[] {3}, new float[] {-0.5f}, reward)));
    }

    private static Trajectory withSteps(Trajectory t, List<Step> steps) {
        return new Trajectory(t.id(), t.taskId(), t.groupId(), t.seed(), t.policyVersion(), steps, t.finalObservation(),
                t.finalStateKey(), t.outcome(), t.terminated());
    }

    private static Trajectory withTask(Trajectory t, String task) {
        return new Trajectory(t.id(), task, t.groupId(), t.seed(), t.policyVersion(), t.steps(), t.finalObservation(),
                t.finalStateKey(), t.outcome(), t.terminated());
    }

    private static Step step(int[] prompt, int[] action, float[] logProbs, double reward) {
        return new Step("obs", "s", "#", prompt, "move", action, logProbs, reward, false, Map.of());
    }

    static Trajectory trajectory(String id, String group) {
        return new Trajectory(id, "maze-1", group, 7, 0,
                List.of(step(new int[] {1, 40, 41}, new int[] {50, 51}, new float[] {-0.5f, -0.1f}, 0.0)),
                "done", "goal", new Outcome(1.0, true), true);
    }

    private static Map<byte[], byte[]> valid(String id, String group, String fp) {
        return fields("trajectory", json(trajectory(id, group)), "fingerprint", fp);
    }

    private static String json(Trajectory t) {
        return new String(TrajectoryCodec.encode(t), StandardCharsets.UTF_8);
    }

    private static Map<byte[], byte[]> fields(String... pairs) {
        Map<byte[], byte[]> out = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i].getBytes(StandardCharsets.UTF_8), pairs[i + 1].getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void xadd(Jedis admin, String stream, Map<byte[], byte[]> fields) {
        admin.xadd(stream.getBytes(StandardCharsets.UTF_8), XAddParams.xAddParams(), fields);
    }

    private static Set<String> ids(BatchSource.Batch batch) {
        return batch.deliveries().stream().map(Delivery::trajectory).map(Trajectory::id).collect(Collectors.toSet());
    }

    private static Future<BatchSource.Batch> nextBatch(RemoteCollection learner) {
        LanguagePolicy policy = new LanguagePolicy(model, new PolicySettings("micro", "", 1.0, 0, 1.0, 8).sampling(),
                8);
        return executor.submit(() -> learner.next(0, policy, 1));
    }

    /** Waits until the learner has published its fingerprint (first thing next() does), and returns its digest. */
    static String publishedDigest(Jedis admin, RemoteSettings settings) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            String json = admin.get(settings.fingerprintKey());
            if (json != null) {
                return RunFingerprint.fromJson(json, settings.fingerprintKey()).digest();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the learner published no fingerprint to " + settings.fingerprintKey());
    }

    private static BufferStatus status(RemoteSettings settings) {
        try (RedisConnection c = RedisConnection.open(REDIS.settings(), "densify-test");
             RedisTrajectoryBuffer b = new RedisTrajectoryBuffer(c, settings.bufferConfig("status"))) {
            return b.status();
        }
    }

    private static ComposedConfig config(String namespace) {
        ConfigComposer composer = new ConfigComposer(PluginRegistry.discover(PoisonedTrajectoryIT.class.getClassLoader()));
        return composer.compose(ConfigRequest.of("buffer=redis", "buffer.url=" + REDIS.url(),
                        "buffer.namespace=" + namespace, "buffer.claim_min_idle_ms=200", "buffer.max_policy_lag=100",
                        "trainer.episodes_per_iteration=4", "trainer.group_size=" + GROUP_SIZE,
                        "trainer.max_steps=" + MAX_STEPS)
                .onlyGroups("policy", "buffer", "trainer"));
    }

    private static RemoteSettings settings() {
        return config("poison:" + UUID.randomUUID()).group("buffer").bind(RemoteSettings.class);
    }

    private static RemoteCollection learner(RemoteSettings settings) {
        TrainerSettings trainer = config(settings.namespace()).group("trainer").bind(TrainerSettings.class);
        Map<String, String> fingerprint = new HashMap<>(RunFingerprint.base(GROUP_SIZE).entries());
        fingerprint.put("env", "test");
        return new RemoteCollection(settings, trainer, TASKS, new RunFingerprint(new java.util.TreeMap<>(fingerprint)));
    }
}

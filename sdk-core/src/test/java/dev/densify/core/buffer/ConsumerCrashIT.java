package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.Receipt;
import dev.densify.api.buffer.TrajectoryBuffer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisServerExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A learner dies holding unacknowledged deliveries; its successor gets them back. In every scenario each
 * trajectory is delivered at least once and trained (acknowledged) exactly once, and none is lost.
 */
class ConsumerCrashIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.ephemeral();

    private static RedisConnection producer;

    @BeforeAll
    static void connect() {
        producer = RedisConnection.open(REDIS.settings(), "densify-producer");
    }

    @AfterAll
    static void disconnect() {
        producer.close();
    }

    /** Trajectory id to how many times a learner acknowledged it as trained. */
    private final Map<String, Integer> trained = new HashMap<>();

    @Test
    @DisplayName("a consumer killed mid-iteration: another consumer of the group takes over its deliveries")
    void deadConsumerTakenOver() throws Exception {
        var config = RedisBufferConfig.defaults("crash:" + UUID.randomUUID()).withClaimMinIdle(Duration.ofMillis(50));
        Set<String> appended = appendAll(config, 50);

        var first = RedisTrajectoryBuffer.open(REDIS.settings(), config.withConsumer("learner-a"));
        List<Delivery> held = takeAtLeast(first, 20);
        train(first, held.subList(0, 10));
        killConnections("densify-learner-a");
        Thread.sleep(100); // let the dead consumer's deliveries idle past claim_min_idle

        try (var second = RedisTrajectoryBuffer.open(REDIS.settings(), config.withConsumer("learner-b"))) {
            List<Delivery> rest = drain(second);
            Set<String> firstAcked = new HashSet<>(InMemoryTrajectoryBufferTest.ids(held.subList(0, 10)));
            assertTrue(InMemoryTrajectoryBufferTest.ids(rest).stream().noneMatch(firstAcked::contains),
                    "acknowledged deliveries never come back");
            assertTrue(InMemoryTrajectoryBufferTest.ids(rest).containsAll(
                    InMemoryTrajectoryBufferTest.ids(held.subList(10, held.size()))),
                    "the dead consumer's unacknowledged deliveries are redelivered");
            assertExactlyOnce(appended);
            assertEquals(0, second.status().pending());
        } finally {
            first.close();
        }
    }

    @Test
    @DisplayName("a learner restarted under the same name gets its unacknowledged deliveries back at once")
    void sameNameRestart() throws Exception {
        var config = RedisBufferConfig.defaults("crash:" + UUID.randomUUID()); // claim_min_idle 60 s: not needed
        Set<String> appended = appendAll(config, 40);
        var first = RedisTrajectoryBuffer.open(REDIS.settings(), config);
        train(first, takeAtLeast(first, 15).subList(0, 5));
        killConnections("densify-learner");
        try (var restarted = RedisTrajectoryBuffer.open(REDIS.settings(), config)) {
            drain(restarted);
            assertExactlyOnce(appended);
        } finally {
            first.close();
        }
    }

    @Test
    @DisplayName("killed after its checkpoint but before acknowledging: receipts from the checkpoint prevent retraining")
    void crashBetweenCheckpointAndAcknowledge() throws Exception {
        var config = RedisBufferConfig.defaults("crash:" + UUID.randomUUID());
        Set<String> appended = appendAll(config, 30);
        var first = RedisTrajectoryBuffer.open(REDIS.settings(), config);
        List<Delivery> used = takeAtLeast(first, 12);
        List<Receipt> checkpoint = used.stream().map(Delivery::receipt).toList(); // written with the checkpoint
        used.forEach(d -> trained.merge(d.trajectory().id(), 1, Integer::sum)); // the checkpointed update
        killConnections("densify-learner");
        try (var resumed = RedisTrajectoryBuffer.open(REDIS.settings(), config)) {
            resumed.acknowledgeReceipts(checkpoint);
            drain(resumed);
            assertExactlyOnce(appended);
        } finally {
            first.close();
        }
    }

    @Test
    @DisplayName("a learner process killed with SIGKILL mid-iteration; its restart trains every trajectory exactly once")
    void killedProcess(@TempDir Path dir) throws Exception {
        var config = RedisBufferConfig.defaults("crash:" + UUID.randomUUID());
        Set<String> appended = appendAll(config, 60);
        Path report = dir.resolve("report.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingConsumer.class.getName(),
                REDIS.url(), config.namespace(), "25", "10", report.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile())
                .start();
        try {
            Instant deadline = Instant.now().plusSeconds(60);
            while (!Files.exists(report)) {
                assertTrue(child.isAlive(), () -> "the learner process died early: " + log(dir));
                assertTrue(Instant.now().isBefore(deadline), "the learner process never reported");
                Thread.sleep(50);
            }
        } finally {
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(report);
        List<String> delivered = Arrays.asList(lines.get(0).split(","));
        List<String> acked = Arrays.asList(lines.get(1).split(","));
        assertEquals(25, delivered.size());
        acked.forEach(id -> trained.merge(id, 1, Integer::sum));
        try (var restarted = RedisTrajectoryBuffer.open(REDIS.settings(), config)) {
            List<Delivery> rest = drain(restarted);
            assertTrue(InMemoryTrajectoryBufferTest.ids(rest).containsAll(delivered.subList(10, 25)),
                    "what the killed process held unacknowledged is redelivered");
            assertExactlyOnce(appended);
        }
    }

    private Set<String> appendAll(RedisBufferConfig config, int n) {
        Set<String> ids = new HashSet<>();
        try (var buffer = new RedisTrajectoryBuffer(producer, config.withConsumer("producer"))) {
            for (int i = 0; i < n; i++) {
                buffer.append(TrajectoryGen.gridworld("t" + i, 0, 3));
                ids.add("t" + i);
            }
        }
        return ids;
    }

    private static List<Delivery> takeAtLeast(TrajectoryBuffer buffer, int n) throws InterruptedException {
        List<Delivery> taken = new ArrayList<>();
        while (taken.size() < n) {
            List<Delivery> batch = buffer.take(n - taken.size(), Duration.ofSeconds(5));
            assertTrue(!batch.isEmpty(), "the stream ran dry");
            taken.addAll(batch);
        }
        return taken;
    }

    /** Trains on and acknowledges everything the buffer delivers until it is empty; returns what it delivered. */
    private List<Delivery> drain(TrajectoryBuffer buffer) throws InterruptedException {
        List<Delivery> all = new ArrayList<>();
        for (List<Delivery> batch; !(batch = buffer.take(8, Duration.ofMillis(300))).isEmpty(); ) {
            train(buffer, batch);
            all.addAll(batch);
        }
        return all;
    }

    private void train(TrajectoryBuffer buffer, List<Delivery> batch) {
        batch.forEach(d -> trained.merge(d.trajectory().id(), 1, Integer::sum));
        buffer.acknowledge(batch);
    }

    private void assertExactlyOnce(Set<String> appended) {
        assertEquals(appended, trained.keySet(), "every appended trajectory is trained, nothing else");
        trained.forEach((id, times) -> assertEquals(1, times, () -> id + " was trained " + times + " times"));
    }

    /** Severs the named client's connections server-side, as a crashed process or a dead host would. */
    private static void killConnections(String clientName) {
        try (var admin = REDIS.admin()) {
            int killed = 0;
            for (String line : admin.clientList().split("\n")) {
                if (line.contains(" name=" + clientName + " ")) {
                    String id = line.substring(line.indexOf("id=") + 3, line.indexOf(' ', line.indexOf("id=")));
                    admin.clientKill(new redis.clients.jedis.params.ClientKillParams().id(id));
                    killed++;
                }
            }
            assertTrue(killed > 0, "no connection named " + clientName);
        }
    }

    private static String log(Path dir) {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}

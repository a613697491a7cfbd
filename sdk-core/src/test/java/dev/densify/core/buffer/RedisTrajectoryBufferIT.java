package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.Receipt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.redis.RedisConnection;
import dev.densify.core.redis.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisTrajectoryBufferIT {

    @RegisterExtension
    static final RedisServerExtension REDIS = RedisServerExtension.ephemeral();

    private static RedisConnection connection;

    @BeforeAll
    static void connect() {
        connection = RedisConnection.open(REDIS.settings(), "densify-test");
    }

    @AfterAll
    static void disconnect() {
        connection.close();
    }

    private static RedisTrajectoryBuffer newBuffer() {
        return new RedisTrajectoryBuffer(connection, RedisBufferConfig.defaults("it:" + UUID.randomUUID()));
    }

    @Test
    @DisplayName("any trajectory comes out of Redis exactly as it went in")
    void roundTripThroughRedis() {
        qt().withExamples(100).forAll(TrajectoryGen.trajectories()).checkAssert(t -> {
            try (var buffer = newBuffer()) {
                buffer.append(t);
                List<Delivery> taken = buffer.take(5, Duration.ofSeconds(5));
                assertEquals(1, taken.size());
                assertEquals(t, taken.get(0).trajectory());
                buffer.acknowledge(taken);
                assertEquals(0, buffer.status().length(), "acknowledged entries leave the stream");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    @DisplayName("appending far more than max_length keeps the stream bounded; the newest entries survive")
    void streamCap() throws Exception {
        var config = RedisBufferConfig.defaults("it:" + UUID.randomUUID()).withMaxLength(100);
        try (var buffer = new RedisTrajectoryBuffer(connection, config)) {
            buffer.take(1, Duration.ZERO); // creates the consumer group, as a running learner would have
            for (int i = 0; i < 1000; i++) {
                buffer.append(TrajectoryGen.gridworld("t" + i, 0, 2));
            }
            BufferStatus status = buffer.status();
            // MAXLEN ~ trims whole stream nodes (100 entries each by default), so allow one node of slack.
            assertTrue(status.length() >= 100 && status.length() <= 200, "length " + status.length());
            assertEquals(1000, status.appended());
            assertEquals(1000 - status.length(), status.evictedByCap());
            List<String> delivered = new ArrayList<>();
            for (List<Delivery> batch; !(batch = buffer.take(64, Duration.ZERO)).isEmpty(); ) {
                batch.forEach(d -> delivered.add(d.trajectory().id()));
                buffer.acknowledge(batch);
            }
            assertEquals(status.length(), delivered.size());
            assertEquals("t999", delivered.get(delivered.size() - 1));
            assertEquals("t" + (1000 - delivered.size()), delivered.get(0), "a contiguous tail survives");
        }
    }

    @Test
    @DisplayName("a trajectory appended twice is trained once; the copy is dropped as a duplicate, also later")
    void duplicatesDropped() throws Exception {
        try (var buffer = newBuffer()) {
            Trajectory t = TrajectoryGen.gridworld("same", 0, 2);
            buffer.append(t);
            buffer.append(t);
            buffer.append(TrajectoryGen.gridworld("other", 0, 2));
            List<Delivery> first = buffer.take(10, Duration.ofSeconds(5));
            assertEquals(List.of("same", "other"), InMemoryTrajectoryBufferTest.ids(first));
            buffer.acknowledge(first);
            buffer.append(t);
            assertEquals(List.of(), buffer.take(10, Duration.ofMillis(100)));
            BufferStatus status = buffer.status();
            assertEquals(Map.of(DropReason.DUPLICATE, 2L), status.dropped());
            assertEquals(2, status.acknowledged());
            assertEquals(0, status.length());
            assertEquals(0, status.evictedByCap());
        }
    }

    @Test
    @DisplayName("the copy of a trajectory still in flight is dropped without marking the original as settled")
    void duplicateOfInFlightDoesNotSettleOriginal() throws Exception {
        try (var buffer = newBuffer()) {
            Trajectory t = TrajectoryGen.gridworld("held", 0, 1);
            buffer.append(t);
            assertEquals(1, buffer.take(1, Duration.ofSeconds(5)).size());
            buffer.append(t);
            assertEquals(List.of(), buffer.take(1, Duration.ofMillis(100)));
            buffer.reclaimUnacknowledged(); // the update failed: the original must come back
            assertEquals(List.of("held"), InMemoryTrajectoryBufferTest.ids(buffer.take(5, Duration.ofSeconds(5))));
        }
    }

    @Test
    @DisplayName("after a reclaim the unacknowledged deliveries come back with the same ids; acknowledged ones do not")
    void reclaim() throws Exception {
        try (var buffer = newBuffer()) {
            for (int i = 0; i < 5; i++) {
                buffer.append(TrajectoryGen.gridworld("t" + i, 0, 1));
            }
            List<Delivery> taken = buffer.take(5, Duration.ofSeconds(5));
            buffer.acknowledge(List.of(taken.get(1), taken.get(3)));
            assertEquals(3, buffer.status().pending());
            buffer.reclaimUnacknowledged();
            List<Delivery> again = buffer.take(5, Duration.ofSeconds(5));
            assertEquals(List.of(taken.get(0), taken.get(2), taken.get(4)), again);
            assertEquals(List.of(), buffer.take(5, Duration.ZERO), "nothing is delivered twice without a reclaim");
        }
    }

    @Test
    @DisplayName("discarded deliveries are counted by reason and never delivered again")
    void discard() throws Exception {
        try (var buffer = newBuffer()) {
            for (long v = 0; v < 4; v++) {
                buffer.append(TrajectoryGen.gridworld("v" + v, v, 1));
            }
            var split = new PolicyLagFilter(1).apply(buffer, buffer.take(4, Duration.ofSeconds(5)), 3);
            assertEquals(List.of("v2", "v3"), InMemoryTrajectoryBufferTest.ids(split.fresh()));
            buffer.reclaimUnacknowledged();
            assertEquals(List.of("v2", "v3"), InMemoryTrajectoryBufferTest.ids(buffer.take(4, Duration.ofSeconds(5))));
            assertEquals(Map.of(DropReason.STALE, 2L), buffer.status().dropped());
        }
    }

    @Test
    @DisplayName("entries that are not trajectories of this format are dropped, counted and dead-lettered, not fatal;"
            + " one without a trajectory field is malformed, not trimmed")
    void undecodableEntries() throws Exception {
        var config = RedisBufferConfig.defaults("it:" + UUID.randomUUID());
        try (var buffer = new RedisTrajectoryBuffer(connection, config); var admin = REDIS.admin()) {
            buffer.take(1, Duration.ZERO);
            admin.xadd(config.streamKey(), Map.of("trajectory", "{\"v\":2,\"id\":\"future\"}"),
                    redis.clients.jedis.params.XAddParams.xAddParams());
            admin.xadd(config.streamKey(), Map.of("something", "else"),
                    redis.clients.jedis.params.XAddParams.xAddParams());
            buffer.append(TrajectoryGen.gridworld("good", 0, 1));
            assertEquals(List.of("good"), InMemoryTrajectoryBufferTest.ids(buffer.take(10, Duration.ofSeconds(5))));
            assertEquals(Map.of(DropReason.UNDECODABLE, 1L, DropReason.MALFORMED, 1L), buffer.status().dropped());
            assertEquals(2, buffer.status().deadLetters());
            var dead = admin.xrange(config.deadLetterKey(), (redis.clients.jedis.StreamEntryID) null, null);
            assertEquals(List.of(DropReason.UNDECODABLE, DropReason.MALFORMED),
                    dead.stream().map(e -> e.getFields().get("reason")).toList());
            assertEquals("else", dead.get(1).getFields().get("entry.something"), "the entry is kept as written");
            assertEquals(1, buffer.status().pending(), "only the good one (not yet acknowledged) stays pending");
        }
    }

    @Test
    @DisplayName("a pending entry the stream cap removed is still counted as trimmed, and not dead-lettered")
    void trimmedPendingEntry() throws Exception {
        var config = RedisBufferConfig.defaults("it:" + UUID.randomUUID()).withMaxLength(10);
        try (var buffer = new RedisTrajectoryBuffer(connection, config)) {
            buffer.append(TrajectoryGen.gridworld("first", 0, 1));
            assertEquals(List.of("first"), InMemoryTrajectoryBufferTest.ids(buffer.take(1, Duration.ofSeconds(5))));
            for (int i = 0; i < 500; i++) { // MAXLEN ~ trims whole nodes of 100 entries
                buffer.append(TrajectoryGen.gridworld("t" + i, 0, 1));
            }
            buffer.reclaimUnacknowledged();
            List<String> again = InMemoryTrajectoryBufferTest.ids(buffer.take(1000, Duration.ofSeconds(5)));
            assertFalse(again.contains("first"));
            assertEquals(Map.of(DropReason.TRIMMED, 1L), buffer.status().dropped());
            assertEquals(0, buffer.status().deadLetters());
        }
    }

    @Test
    @DisplayName("receipts acknowledge like deliveries, and acknowledging twice counts once")
    void receipts() throws Exception {
        try (var buffer = newBuffer()) {
            buffer.append(TrajectoryGen.gridworld("r", 0, 1));
            Receipt receipt = buffer.take(1, Duration.ofSeconds(5)).get(0).receipt();
            buffer.acknowledgeReceipts(List.of(receipt));
            buffer.acknowledgeReceipts(List.of(receipt));
            BufferStatus status = buffer.status();
            assertEquals(1, status.acknowledged());
            assertEquals(0, status.pending());
        }
    }

    @Test
    @DisplayName("take waits for the first trajectory and returns it once appended; an empty wait returns nothing")
    void takeWaits() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (var buffer = newBuffer()) {
            assertEquals(List.of(), buffer.take(3, Duration.ZERO));
            Future<List<Delivery>> waiting = pool.submit(() -> buffer.take(3, Duration.ofSeconds(30)));
            Thread.sleep(100);
            buffer.append(TrajectoryGen.gridworld("late", 0, 1));
            assertEquals(List.of("late"), InMemoryTrajectoryBufferTest.ids(waiting.get(20, TimeUnit.SECONDS)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("status lists consumers with their pending counts, and workers with silent ones marked")
    void statusAndHeartbeats() throws Exception {
        var config = RedisBufferConfig.defaults("it:" + UUID.randomUUID()).withSilentAfter(Duration.ofMillis(300));
        try (var buffer = new RedisTrajectoryBuffer(connection, config)) {
            for (int i = 0; i < 3; i++) {
                buffer.append(TrajectoryGen.gridworld("t" + i, 0, 1));
            }
            buffer.take(2, Duration.ofSeconds(5));
            Heartbeats heartbeats = Heartbeats.of(connection, config.namespace());
            heartbeats.publish("worker-a", 10, 4);
            Thread.sleep(600);
            heartbeats.publish("worker-b", 3, 5);
            BufferStatus status = buffer.status();
            assertEquals(3, status.length());
            assertEquals(2, status.pending());
            assertEquals(1, status.consumers().size());
            assertEquals("learner", status.consumers().get(0).name());
            assertEquals(2, status.consumers().get(0).pending());
            Map<String, WorkerStatus> workers = status.workers().stream()
                    .collect(Collectors.toMap(WorkerStatus::workerId, w -> w));
            assertEquals(Set.of("worker-a", "worker-b"), workers.keySet());
            assertTrue(workers.get("worker-a").silent());
            assertFalse(workers.get("worker-b").silent());
            assertEquals(10, workers.get("worker-a").episodes());
            assertEquals(1, workers.get("worker-a").policyLag(5));
            assertEquals(List.of(workers.get("worker-a")), status.silentWorkers());
            assertFalse(status.backend().contains("***") && status.backend().isEmpty());
            assertTrue(status.backend().endsWith(config.streamKey()), status.backend());
        }
    }

    @Test
    @DisplayName("the status of a stream nobody has used yet is all zeros")
    void statusOfUnusedStream() {
        try (var buffer = newBuffer()) {
            BufferStatus status = buffer.status();
            assertEquals(0, status.length());
            assertEquals(0, status.pending());
            assertEquals(List.of(), status.consumers());
            assertEquals(List.of(), status.workers());
        }
    }
}

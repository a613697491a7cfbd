package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.trajectory.Trajectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InMemoryTrajectoryBufferTest {

    @Test
    @DisplayName("trajectories come out in the order they went in, at most max at a time")
    void fifo() throws Exception {
        try (var buffer = new InMemoryTrajectoryBuffer(10)) {
            for (int i = 0; i < 5; i++) {
                buffer.append(TrajectoryGen.gridworld("t" + i, 0, 1));
            }
            assertEquals(List.of("t0", "t1", "t2"), ids(buffer.take(3, Duration.ZERO)));
            assertEquals(List.of("t3", "t4"), ids(buffer.take(3, Duration.ZERO)));
            assertEquals(List.of(), buffer.take(3, Duration.ofMillis(20)));
        }
    }

    @Test
    @DisplayName("acknowledged deliveries never come back; unacknowledged ones come back after a reclaim, in order")
    void reclaimRedeliversOnlyUnacknowledged() throws Exception {
        try (var buffer = new InMemoryTrajectoryBuffer(10)) {
            for (int i = 0; i < 4; i++) {
                buffer.append(TrajectoryGen.gridworld("t" + i, 0, 1));
            }
            List<Delivery> taken = buffer.take(4, Duration.ZERO);
            buffer.acknowledge(List.of(taken.get(0), taken.get(2)));
            assertEquals(2, buffer.status().pending());
            buffer.reclaimUnacknowledged();
            assertEquals(0, buffer.status().pending());
            List<Delivery> again = buffer.take(10, Duration.ZERO);
            assertEquals(List.of("t1", "t3"), ids(again));
            assertEquals(List.of(taken.get(1), taken.get(3)), again, "same delivery ids");
            buffer.acknowledge(again);
            buffer.reclaimUnacknowledged();
            assertEquals(List.of(), buffer.take(10, Duration.ZERO));
            BufferStatus s = buffer.status();
            assertEquals(4, s.appended());
            assertEquals(4, s.acknowledged());
            assertEquals(0, s.length());
        }
    }

    @Test
    @DisplayName("a full buffer makes append wait, then fail with a message naming the capacity")
    void fullBufferFailsClearly() throws Exception {
        try (var buffer = new InMemoryTrajectoryBuffer(2, Duration.ofMillis(50))) {
            buffer.append(TrajectoryGen.gridworld("a", 0, 1));
            buffer.append(TrajectoryGen.gridworld("b", 0, 1));
            var e = assertThrows(IllegalStateException.class, () -> buffer.append(TrajectoryGen.gridworld("c", 0, 1)));
            assertTrue(e.getMessage().contains("full: 2 trajectories"), e.getMessage());
            assertEquals(2, buffer.status().length());
            // Taking makes room even before acknowledging: the capacity bounds what waits, not what is held.
            buffer.take(1, Duration.ZERO);
            buffer.append(TrajectoryGen.gridworld("c", 0, 1));
            assertEquals(3, buffer.status().length());
        }
    }

    @Test
    @DisplayName("an append blocked on a full buffer proceeds as soon as the consumer takes")
    void blockedAppendResumes() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (var buffer = new InMemoryTrajectoryBuffer(1, Duration.ofSeconds(30))) {
            buffer.append(TrajectoryGen.gridworld("a", 0, 1));
            Future<?> blocked = pool.submit(() -> buffer.append(TrajectoryGen.gridworld("b", 0, 1)));
            assertEquals(List.of("a"), ids(buffer.take(1, Duration.ZERO)));
            blocked.get(10, TimeUnit.SECONDS);
            assertEquals(List.of("b"), ids(buffer.take(1, Duration.ofSeconds(10))));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("a second copy of a trajectory id is dropped and counted, whether the first is held or settled")
    void duplicatesAreDropped() throws Exception {
        try (var buffer = new InMemoryTrajectoryBuffer(10)) {
            buffer.append(TrajectoryGen.gridworld("x", 0, 1));
            buffer.append(TrajectoryGen.gridworld("x", 0, 1));
            List<Delivery> first = buffer.take(10, Duration.ZERO);
            assertEquals(List.of("x"), ids(first));
            buffer.acknowledge(first);
            buffer.append(TrajectoryGen.gridworld("x", 0, 1));
            buffer.append(TrajectoryGen.gridworld("y", 0, 1));
            assertEquals(List.of("y"), ids(buffer.take(10, Duration.ZERO)));
            assertEquals(Map.of(DropReason.DUPLICATE, 2L), buffer.status().dropped());
        }
    }

    @Test
    @DisplayName("receipts from a checkpoint settle deliveries like acknowledge does")
    void receiptsSettle() throws Exception {
        try (var buffer = new InMemoryTrajectoryBuffer(10)) {
            buffer.append(TrajectoryGen.gridworld("r", 0, 1));
            List<Delivery> taken = buffer.take(1, Duration.ZERO);
            buffer.acknowledgeReceipts(List.of(taken.get(0).receipt()));
            buffer.acknowledgeReceipts(List.of(taken.get(0).receipt()));
            assertEquals(1, buffer.status().acknowledged(), "acknowledging twice counts once");
            buffer.reclaimUnacknowledged();
            assertEquals(List.of(), buffer.take(1, Duration.ZERO));
        }
    }

    @Test
    @DisplayName("take waits for the first trajectory and returns it as soon as it is appended")
    void takeWaits() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (var buffer = new InMemoryTrajectoryBuffer(4)) {
            Future<List<Delivery>> waiting = pool.submit(() -> buffer.take(4, Duration.ofSeconds(30)));
            buffer.append(TrajectoryGen.gridworld("late", 0, 1));
            assertEquals(List.of("late"), ids(waiting.get(10, TimeUnit.SECONDS)));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("closing wakes a waiting consumer, which then fails")
    void closeWakesConsumer() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        var buffer = new InMemoryTrajectoryBuffer(4);
        Future<List<Delivery>> waiting = pool.submit(() -> buffer.take(1, Duration.ofSeconds(60)));
        Thread.sleep(50);
        buffer.close();
        var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> waiting.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof IllegalStateException, e.toString());
        assertThrows(IllegalStateException.class, () -> buffer.append(TrajectoryGen.gridworld("z", 0, 1)));
        pool.shutdownNow();
    }

    @Test
    @DisplayName("four producers and one consumer: every trajectory delivered exactly once")
    void concurrentProducers() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (var buffer = new InMemoryTrajectoryBuffer(16)) {
            List<Future<?>> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int producer = p;
                producers.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        buffer.append(TrajectoryGen.gridworld(producer + "-" + i, 0, 1));
                    }
                }));
            }
            Map<String, Integer> seen = new HashMap<>();
            while (seen.size() < 1000) {
                List<Delivery> batch = buffer.take(7, Duration.ofSeconds(10));
                assertTrue(!batch.isEmpty(), "producers stalled");
                batch.forEach(d -> seen.merge(d.trajectory().id(), 1, Integer::sum));
                buffer.acknowledge(batch);
            }
            for (Future<?> f : producers) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertTrue(seen.values().stream().allMatch(n -> n == 1));
            assertEquals(1000, buffer.status().acknowledged());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @DisplayName("invalid arguments are refused with the allowed range")
    void validatesArguments() {
        assertThrows(IllegalArgumentException.class, () -> new InMemoryTrajectoryBuffer(0));
        try (var buffer = new InMemoryTrajectoryBuffer(1)) {
            assertThrows(IllegalArgumentException.class, () -> buffer.take(0, Duration.ZERO));
            assertThrows(IllegalArgumentException.class, () -> buffer.take(1, Duration.ofMillis(-1)));
            var e = assertThrows(IllegalArgumentException.class, () -> buffer.discard(List.of(), "Too Old"));
            assertTrue(e.getMessage().contains("lower-case"), e.getMessage());
        }
    }

    static List<String> ids(List<Delivery> deliveries) {
        return deliveries.stream().map(Delivery::trajectory).map(Trajectory::id).toList();
    }
}

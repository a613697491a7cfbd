package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.redis.RedisServerExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis goes away for a few seconds while a producer appends and a learner takes and acknowledges; both keep
 * retrying and carry on when it is back. With persistence (AOF, as production should run) nothing is lost; without
 * it, what Redis held at the stop is gone but everything appended after the restart is trained.
 */
class RedisOutageIT {

    @RegisterExtension
    static final RedisServerExtension PERSISTENT = RedisServerExtension.persistent();

    @RegisterExtension
    static final RedisServerExtension EPHEMERAL = RedisServerExtension.ephemeral();

    private static final int TOTAL = 300;
    private static final int OUTAGE_AFTER = 100;

    @Test
    @DisplayName("with AOF persistence: producer and learner ride out a restart and every trajectory is trained once")
    void persistentRestartLosesNothing() throws Exception {
        Run run = runThroughOutage(PERSISTENT);
        assertEquals(TOTAL, run.trained.size(), "trained " + run.trained.size() + " of " + TOTAL);
        run.trained.forEach((id, n) -> assertEquals(1, n, () -> id + " trained " + n + " times"));
    }

    @Test
    @DisplayName("without persistence: everything appended after the restart is trained once, nothing twice")
    void ephemeralRestartKeepsWhatCameAfter() throws Exception {
        Run run = runThroughOutage(EPHEMERAL);
        run.trained.forEach((id, n) -> assertEquals(1, n, () -> id + " trained " + n + " times"));
        for (int i = run.firstAfterRestart.get(); i < TOTAL; i++) {
            assertTrue(run.trained.containsKey("t" + i), "t" + i + " was appended after the restart but not trained");
        }
        assertTrue(run.firstAfterRestart.get() < TOTAL / 2, "appends resumed after the restart");
    }

    private record Run(Map<String, Integer> trained, AtomicInteger firstAfterRestart) {}

    private static Run runThroughOutage(RedisServerExtension redis) throws Exception {
        var config = RedisBufferConfig.defaults("outage:" + UUID.randomUUID());
        Map<String, Integer> trained = new ConcurrentHashMap<>();
        AtomicInteger appended = new AtomicInteger();
        AtomicInteger firstAfterRestart = new AtomicInteger(Integer.MAX_VALUE);
        AtomicBoolean restarted = new AtomicBoolean();
        AtomicBoolean producerDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (var producer = RedisTrajectoryBuffer.open(redis.settings(), config.withConsumer("producer"));
             var learner = RedisTrajectoryBuffer.open(redis.settings(), config)) {
            learner.take(1, Duration.ZERO); // the learner is up and its group exists before work arrives
            Future<?> producing = pool.submit(() -> {
                for (int i = 0; i < TOTAL; i++) {
                    producer.append(TrajectoryGen.gridworld("t" + i, 0, 3));
                    if (restarted.get()) { // this append returned after the restart, so Redis has it now
                        firstAfterRestart.accumulateAndGet(i, Math::min);
                    }
                    appended.incrementAndGet();
                    Thread.sleep(3);
                }
                producerDone.set(true);
                return null;
            });
            Future<?> learning = pool.submit(() -> {
                Instant deadline = Instant.now().plusSeconds(90);
                while (Instant.now().isBefore(deadline)) {
                    List<Delivery> batch = learner.take(16, Duration.ofMillis(200));
                    batch.forEach(d -> trained.merge(d.trajectory().id(), 1, Integer::sum));
                    learner.acknowledge(batch); // the "checkpoint" after each update
                    if (batch.isEmpty() && producerDone.get() && learner.status().length() == 0) {
                        return null;
                    }
                }
                throw new AssertionError("the learner did not finish; trained " + trained.size());
            });
            while (appended.get() < OUTAGE_AFTER) {
                Thread.sleep(5);
            }
            redis.stop();
            Thread.sleep(2_500);
            restarted.set(true);
            redis.start();
            producing.get(90, TimeUnit.SECONDS);
            learning.get(90, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        return new Run(trained, firstAfterRestart);
    }
}

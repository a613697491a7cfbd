package dev.densify.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PolicyLagFilterTest {

    @Test
    @DisplayName("stale means more than max_policy_lag versions behind the learner")
    void staleness() {
        qt().forAll(longs().between(0, 5), longs().between(0, 1000), longs().between(0, 1000))
                .checkAssert((lag, produced, learner) -> assertEquals(learner - produced > lag,
                        new PolicyLagFilter(lag).isStale(produced, learner)));
        assertFalse(new PolicyLagFilter(0).isStale(12, 10), "a newer policy than the learner's is kept");
        assertThrows(IllegalArgumentException.class, () -> new PolicyLagFilter(-1));
    }

    @Test
    @DisplayName("stale deliveries are discarded from the buffer and counted; fresh ones are returned")
    void discardsStale() throws Exception {
        try (var buffer = new InMemoryTrajectoryBuffer(10)) {
            for (long v = 5; v <= 10; v++) {
                buffer.append(TrajectoryGen.gridworld("v" + v, v, 1));
            }
            var split = new PolicyLagFilter(2).apply(buffer, buffer.take(10, Duration.ZERO), 10);
            assertEquals(List.of("v8", "v9", "v10"), InMemoryTrajectoryBufferTest.ids(split.fresh()));
            assertEquals(List.of("v5", "v6", "v7"), InMemoryTrajectoryBufferTest.ids(split.stale()));
            assertEquals(Map.of(DropReason.STALE, 3L), buffer.status().dropped());
            assertEquals(3, buffer.status().pending(), "only the fresh ones stay held");
            buffer.reclaimUnacknowledged();
            assertTrue(InMemoryTrajectoryBufferTest.ids(buffer.take(10, Duration.ZERO)).stream()
                    .noneMatch(id -> id.equals("v5") || id.equals("v6") || id.equals("v7")));
        }
    }
}

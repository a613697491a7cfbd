package dev.densify.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.trajectory.Trajectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The delivery contract every {@link TrajectoryBuffer} keeps, as a JUnit 5 class to extend with one factory of
 * fresh, empty buffers: each trajectory is delivered once; once acknowledged (directly, by receipt) or discarded
 * it never comes back; what is unacknowledged comes back after {@link TrajectoryBuffer#reclaimUnacknowledged()};
 * a copy appended twice is delivered once.
 *
 * <p>It lives in sdk-core's test sources rather than in sdk-testkit because the buffer interface is sdk-core's
 * and sdk-testkit sees sdk-api only. Checks open and close their own buffer, so that
 * {@link TrajectoryBufferContractKitTest} can run them one by one against deliberately broken buffers.
 */
@DisplayName("Trajectory buffer contract")
@Timeout(120) // a buffer that retries a lost server forever must fail the check, not hang the build
abstract class TrajectoryBufferContractTest {

    /** A fresh, empty buffer with room for at least 16 undelivered trajectories. */
    abstract TrajectoryBuffer newBuffer();

    /** How long to wait for a delivery that must come. */
    Duration arrival() {
        return Duration.ofSeconds(5);
    }

    /** How long to wait before concluding that a delivery that must not come did not. */
    Duration absence() {
        return Duration.ofMillis(200);
    }

    private static List<Trajectory> appendSome(TrajectoryBuffer buffer, String prefix, int count) {
        List<Trajectory> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Trajectory trajectory = TrajectoryGen.gridworld(prefix + i, 0, 1 + i % 3);
            buffer.append(trajectory);
            appended.add(trajectory);
        }
        return appended;
    }

    /** Takes until {@code count} deliveries came (or a take came back empty), then checks that no more come. */
    private List<Delivery> takeExactly(TrajectoryBuffer buffer, int count) throws InterruptedException {
        List<Delivery> taken = new ArrayList<>();
        while (taken.size() < count) {
            List<Delivery> more = buffer.take(count - taken.size(), arrival());
            if (more.isEmpty()) {
                break;
            }
            taken.addAll(more);
        }
        List<Delivery> extra = buffer.take(16, absence());
        taken.addAll(extra);
        assertEquals(count, taken.size(), () -> "expected " + count + " deliveries, got " + ids(taken));
        return taken;
    }

    private void assertNothingToTake(TrajectoryBuffer buffer, String why) throws InterruptedException {
        List<Delivery> taken = buffer.take(16, absence());
        assertTrue(taken.isEmpty(), () -> why + ", yet " + ids(taken) + " were delivered");
    }

    private static List<String> ids(List<Delivery> deliveries) {
        return deliveries.stream().map(d -> d.trajectory().id()).toList();
    }

    /** The deliveries by trajectory id, failing when one trajectory came twice. */
    private static Map<String, Delivery> byTrajectory(List<Delivery> deliveries) {
        Map<String, Delivery> byId = new LinkedHashMap<>();
        for (Delivery delivery : deliveries) {
            Delivery earlier = byId.put(delivery.trajectory().id(), delivery);
            assertTrue(earlier == null, () -> "trajectory " + delivery.trajectory().id() + " was delivered twice: "
                    + ids(deliveries));
        }
        return byId;
    }

    @Nested
    @DisplayName("delivery")
    class DeliveryContract {

        @Test
        @DisplayName("every appended trajectory is delivered once, exactly as appended")
        void everyTrajectoryIsDeliveredOnceAsAppended() throws Exception {
            try (TrajectoryBuffer buffer = newBuffer()) {
                List<Trajectory> appended = appendSome(buffer, "t", 5);
                Map<String, Delivery> delivered = byTrajectory(takeExactly(buffer, 5));
                for (Trajectory trajectory : appended) {
                    Delivery delivery = delivered.get(trajectory.id());
                    assertTrue(delivery != null, () -> trajectory.id() + " was not delivered");
                    assertEquals(trajectory, delivery.trajectory(), "the delivered trajectory differs");
                }
            }
        }

        @Test
        @DisplayName("acknowledged deliveries are never delivered again, not even after a reclaim")
        void acknowledgedAreNeverDeliveredAgain() throws Exception {
            try (TrajectoryBuffer buffer = newBuffer()) {
                appendSome(buffer, "t", 4);
                buffer.acknowledge(takeExactly(buffer, 4));
                buffer.reclaimUnacknowledged();
                assertNothingToTake(buffer, "every delivery was acknowledged");
            }
        }

        @Test
        @DisplayName("acknowledging by receipt, as a resumed learner does, settles the deliveries")
        void receiptsSettleDeliveries() throws Exception {
            try (TrajectoryBuffer buffer = newBuffer()) {
                appendSome(buffer, "t", 3);
                List<Delivery> taken = takeExactly(buffer, 3);
                buffer.acknowledgeReceipts(taken.stream().map(Delivery::receipt).toList());
                buffer.reclaimUnacknowledged();
                assertNothingToTake(buffer, "every delivery was acknowledged by its receipt");
            }
        }

        @Test
        @DisplayName("discarded deliveries are never delivered again")
        void discardedAreNeverDeliveredAgain() throws Exception {
            try (TrajectoryBuffer buffer = newBuffer()) {
                appendSome(buffer, "t", 3);
                buffer.discard(takeExactly(buffer, 3), DropReason.STALE);
                buffer.reclaimUnacknowledged();
                assertNothingToTake(buffer, "every delivery was discarded");
            }
        }
    }

    @Nested
    @DisplayName("redelivery")
    class Redelivery {

        @Test
        @DisplayName("unacknowledged deliveries are delivered again after a reclaim, and only those")
        void unacknowledgedAreRedelivered() throws Exception {
            try (TrajectoryBuffer buffer = newBuffer()) {
                List<Trajectory> appended = appendSome(buffer, "t", 4);
                List<Delivery> taken = takeExactly(buffer, 4);
                Map<String, Delivery> byId = byTrajectory(taken);
                buffer.acknowledge(List.of(byId.get("t0"), byId.get("t2")));
                assertNothingToTake(buffer, "t1 and t3 are still held by the consumer");
                buffer.reclaimUnacknowledged();
                Map<String, Delivery> again = byTrajectory(takeExactly(buffer, 2));
                assertEquals(List.of("t1", "t3"), again.keySet().stream().sorted().toList(), "redelivered");
                assertEquals(appended.get(1), again.get("t1").trajectory(), "t1 redelivered differs");
                assertEquals(appended.get(3), again.get("t3").trajectory(), "t3 redelivered differs");
                buffer.acknowledge(again.values());
                buffer.reclaimUnacknowledged();
                assertNothingToTake(buffer, "the redelivered ones were acknowledged too");
            }
        }

        @Test
        @DisplayName("deliveries held without acknowledgement are not handed out a second time before a reclaim")
        void heldDeliveriesAreNotRepeated() throws Exception {
            try (TrajectoryBuffer buffer = newBuffer()) {
                appendSome(buffer, "t", 3);
                takeExactly(buffer, 3);
                assertNothingToTake(buffer, "all three are held by the consumer");
            }
        }
    }

    @Nested
    @DisplayName("duplicates")
    class Duplicates {

        @Test
        @DisplayName("a trajectory appended twice is delivered once, and not again once acknowledged")
        void aTrajectoryAppendedTwiceIsDeliveredOnce() throws Exception {
            try (TrajectoryBuffer buffer = newBuffer()) {
                Trajectory trajectory = TrajectoryGen.gridworld("twice", 0, 2);
                buffer.append(trajectory);
                buffer.append(trajectory);
                List<Delivery> taken = takeExactly(buffer, 1);
                buffer.acknowledge(taken);
                buffer.append(trajectory);
                assertNothingToTake(buffer, "the trajectory was acknowledged before its late copy arrived");
            }
        }
    }
}

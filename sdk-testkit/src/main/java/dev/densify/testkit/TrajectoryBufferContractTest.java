package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.API;
import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.TrajectoryBuffer;
import dev.densify.api.buffer.TrajectoryBufferProvider;
import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every {@link TrajectoryBuffer} keeps, as a JUnit 5 class to extend: a buffer author names the
 * provider and gets the {@linkplain PluginContractTest discovery and configuration checks} and the delivery
 * promises the learner relies on: each trajectory is delivered once; once acknowledged (directly, or by receipt
 * as a resumed learner does) or discarded it never comes back; what is unacknowledged comes back after
 * {@link TrajectoryBuffer#reclaimUnacknowledged()}; a copy appended twice is delivered once.
 *
 * <pre>{@code
 * class QueueBufferContractTest extends TrajectoryBufferContractTest {
 *     @Override
 *     protected TrajectoryBufferProvider provider() {
 *         return new QueueBufferProvider();
 *     }
 * }
 * }</pre>
 *
 * <p>Every check creates its buffers from {@link #config()}, which must give a fresh, empty buffer each time with
 * room for at least 16 undelivered trajectories: a buffer kept outside the process (a server) overrides it to name
 * the server and a namespace of its own per call. Override {@link #arrival()} and {@link #absence()} for a buffer
 * whose deliveries take longer to come.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
@DisplayName("Trajectory buffer contract")
@Timeout(120) // a buffer that retries a lost server forever must fail the check, not hang the build
public abstract class TrajectoryBufferContractTest
        extends PluginContractTest<TrajectoryBufferProvider, TrajectoryBuffer> {

    @Override
    protected final Class<TrajectoryBufferProvider> providerType() {
        return TrajectoryBufferProvider.class;
    }

    @Override
    protected final String group() {
        return "buffer";
    }

    /** How long to wait for a delivery that must come. */
    protected Duration arrival() {
        return Duration.ofSeconds(5);
    }

    /** How long to wait before concluding that a delivery that must not come did not. */
    protected Duration absence() {
        return Duration.ofMillis(200);
    }

    /** A small finished trajectory of {@code steps} steps, the same for the same arguments. */
    private static Trajectory trajectory(String id, int steps) {
        List<Step> list = new ArrayList<>();
        for (int i = 0; i < steps; i++) {
            int[] prompt = new int[24];
            for (int t = 0; t < prompt.length; t++) {
                prompt[t] = (i * 131 + t * 17) % 32_000;
            }
            list.add(new Step("You are at (" + i + ", 2). The goal is south.", "s" + i, "#A.G#", prompt, "move south",
                    new int[] {5, 77, 913}, new float[] {-0.1f, -0.02f, -1.5f}, 0.0, i == steps - 1, Map.of()));
        }
        return new Trajectory(id, "maze-3", "group-1", 7, 0, list, "You reached the goal.", "goal",
                new Outcome(1.0, true), true);
    }

    private static List<Trajectory> appendSome(TrajectoryBuffer buffer, String prefix, int count) {
        List<Trajectory> appended = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Trajectory trajectory = trajectory(prefix + i, 1 + i % 3);
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
        taken.addAll(buffer.take(16, absence()));
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

    /** Appends {@code count} trajectories, takes and {@code settle}s them, reclaims: none may come back. */
    private void assertSettledForGood(int count, BiConsumer<TrajectoryBuffer, List<Delivery>> settle, String settled)
            throws InterruptedException {
        TrajectoryBuffer buffer = create();
        appendSome(buffer, "t", count);
        settle.accept(buffer, takeExactly(buffer, count));
        buffer.reclaimUnacknowledged();
        assertNothingToTake(buffer, settled);
    }

    /** Both buffers deliver the same appended trajectories, and after acknowledging them nothing more. */
    @Override
    protected void assertSameBehaviour(String context, TrajectoryBuffer expected, TrajectoryBuffer actual) {
        try {
            List<Delivery> fromExpected = takeAppended(expected);
            List<Delivery> fromActual = takeAppended(actual);
            assertEquals(ids(fromExpected), ids(fromActual), () -> context + " deliver differently");
            expected.acknowledge(fromExpected);
            actual.acknowledge(fromActual);
            assertNothingToTake(actual, context + ": every delivery was acknowledged");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private List<Delivery> takeAppended(TrajectoryBuffer buffer) throws InterruptedException {
        appendSome(buffer, "same", 3);
        List<Delivery> taken = takeExactly(buffer, 3);
        return taken.stream().sorted(Comparator.comparing(d -> d.trajectory().id())).toList();
    }

    @Nested
    @DisplayName("delivery")
    class DeliveryOnce {

        @Test
        @DisplayName("every appended trajectory is delivered once, exactly as appended")
        void everyTrajectoryIsDeliveredOnceAsAppended() throws Exception {
            TrajectoryBuffer buffer = create();
            List<Trajectory> appended = appendSome(buffer, "t", 5);
            Map<String, Delivery> delivered = byTrajectory(takeExactly(buffer, 5));
            for (Trajectory trajectory : appended) {
                Delivery delivery = delivered.get(trajectory.id());
                assertTrue(delivery != null, () -> trajectory.id() + " was not delivered");
                assertEquals(trajectory, delivery.trajectory(), "the delivered trajectory differs");
            }
        }

        @Test
        @DisplayName("acknowledged deliveries are never delivered again, not even after a reclaim")
        void acknowledgedAreNeverDeliveredAgain() throws Exception {
            assertSettledForGood(4, TrajectoryBuffer::acknowledge, "every delivery was acknowledged");
        }

        @Test
        @DisplayName("acknowledging by receipt, as a resumed learner does, settles the deliveries")
        void receiptsSettleDeliveries() throws Exception {
            assertSettledForGood(3, (buffer, taken) -> buffer.acknowledgeReceipts(taken.stream()
                    .map(Delivery::receipt).toList()), "every delivery was acknowledged by its receipt");
        }

        @Test
        @DisplayName("discarded deliveries are never delivered again")
        void discardedAreNeverDeliveredAgain() throws Exception {
            assertSettledForGood(3, (buffer, taken) -> buffer.discard(taken, "stale"), "every delivery was discarded");
        }
    }

    @Nested
    @DisplayName("redelivery")
    class Redelivery {

        @Test
        @DisplayName("unacknowledged deliveries are delivered again after a reclaim, and only those")
        void unacknowledgedAreRedelivered() throws Exception {
            TrajectoryBuffer buffer = create();
            List<Trajectory> appended = appendSome(buffer, "t", 4);
            Map<String, Delivery> byId = byTrajectory(takeExactly(buffer, 4));
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

        @Test
        @DisplayName("deliveries held without acknowledgement are not handed out a second time before a reclaim")
        void heldDeliveriesAreNotRepeated() throws Exception {
            TrajectoryBuffer buffer = create();
            appendSome(buffer, "t", 3);
            takeExactly(buffer, 3);
            assertNothingToTake(buffer, "all three are held by the consumer");
        }
    }

    @Nested
    @DisplayName("duplicates")
    class Duplicates {

        @Test
        @DisplayName("a trajectory appended twice is delivered once, and not again once acknowledged")
        void aTrajectoryAppendedTwiceIsDeliveredOnce() throws Exception {
            TrajectoryBuffer buffer = create();
            Trajectory trajectory = trajectory("twice", 2);
            buffer.append(trajectory);
            buffer.append(trajectory);
            buffer.acknowledge(takeExactly(buffer, 1));
            buffer.append(trajectory);
            assertNothingToTake(buffer, "the trajectory was acknowledged before its late copy arrived");
        }
    }
}

package dev.densify.core.buffer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.densify.api.trajectory.Trajectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Runs every check of {@link TrajectoryBufferContractTest}, one by one, against the in-memory buffer with one
 * deliberate flaw each, and checks that exactly the checks that should catch the flaw fail. The checks are called
 * directly rather than through the JUnit Platform: sdk-core's tests have no platform test kit, and each check
 * opens and closes its own buffer, so no lifecycle is skipped.
 */
@DisplayName("the trajectory buffer contract kit")
class TrajectoryBufferContractKitTest {

    /** A buffer that hands every call to the in-memory buffer, for the flawed ones to override one call of. */
    private static class Forwarding implements TrajectoryBuffer {
        final TrajectoryBuffer delegate = new InMemoryTrajectoryBuffer(64, Duration.ofSeconds(5));

        @Override
        public void append(Trajectory trajectory) {
            delegate.append(trajectory);
        }

        @Override
        public List<Delivery> take(int max, Duration wait) throws InterruptedException {
            return delegate.take(max, wait);
        }

        @Override
        public void acknowledgeReceipts(Collection<Receipt> receipts) {
            delegate.acknowledgeReceipts(receipts);
        }

        @Override
        public void discard(Collection<Delivery> deliveries, String reason) {
            delegate.discard(deliveries, reason);
        }

        @Override
        public void reclaimUnacknowledged() {
            delegate.reclaimUnacknowledged();
        }

        @Override
        public BufferStatus status() {
            return delegate.status();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    /** The kit adopted by a buffer factory. */
    private static TrajectoryBufferContractTest kit(Supplier<TrajectoryBuffer> buffers) {
        return new TrajectoryBufferContractTest() {
            @Override
            TrajectoryBuffer newBuffer() {
                return buffers.get();
            }

            @Override
            Duration arrival() {
                return Duration.ofMillis(500);
            }

            @Override
            Duration absence() {
                return Duration.ofMillis(50);
            }
        };
    }

    /** Every check of the kit by method name. */
    private static Map<String, Executable> checks(TrajectoryBufferContractTest kit) {
        Map<String, Executable> checks = new LinkedHashMap<>();
        TrajectoryBufferContractTest.DeliveryContract delivery = kit.new DeliveryContract();
        checks.put("everyTrajectoryIsDeliveredOnceAsAppended", delivery::everyTrajectoryIsDeliveredOnceAsAppended);
        checks.put("acknowledgedAreNeverDeliveredAgain", delivery::acknowledgedAreNeverDeliveredAgain);
        checks.put("receiptsSettleDeliveries", delivery::receiptsSettleDeliveries);
        checks.put("discardedAreNeverDeliveredAgain", delivery::discardedAreNeverDeliveredAgain);
        TrajectoryBufferContractTest.Redelivery redelivery = kit.new Redelivery();
        checks.put("unacknowledgedAreRedelivered", redelivery::unacknowledgedAreRedelivered);
        checks.put("heldDeliveriesAreNotRepeated", redelivery::heldDeliveriesAreNotRepeated);
        checks.put("aTrajectoryAppendedTwiceIsDeliveredOnce",
                kit.new Duplicates()::aTrajectoryAppendedTwiceIsDeliveredOnce);
        return checks;
    }

    /** The names of the checks that fail with an assertion; anything else thrown is a defect of the kit. */
    private static Set<String> failing(Supplier<TrajectoryBuffer> buffers) throws Throwable {
        Set<String> failing = new TreeSet<>();
        for (Map.Entry<String, Executable> check : checks(kit(buffers)).entrySet()) {
            try {
                check.getValue().execute();
            } catch (AssertionError e) {
                failing.add(check.getKey());
            }
        }
        return failing;
    }

    @Test
    @DisplayName("lists every check of the kit, so that none escapes these runs")
    void listsEveryCheck() {
        long declared = java.util.stream.Stream.of(TrajectoryBufferContractTest.class.getDeclaredClasses())
                .flatMap(c -> java.util.stream.Stream.of(c.getDeclaredMethods()))
                .filter(m -> m.isAnnotationPresent(Test.class)).count();
        assertEquals(declared, checks(kit(() -> new InMemoryTrajectoryBuffer(64))).size());
    }

    @Test
    @DisplayName("passes the in-memory buffer")
    void passesTheInMemoryBuffer() throws Throwable {
        assertEquals(Set.of(), failing(Forwarding::new));
    }

    @Test
    @DisplayName("catches a buffer that ignores acknowledgements")
    void catchesIgnoredAcknowledgements() throws Throwable {
        // The late copy of the duplicate check is still dropped: its original counts as held, not settled.
        assertEquals(Set.of("acknowledgedAreNeverDeliveredAgain", "receiptsSettleDeliveries",
                        "unacknowledgedAreRedelivered"),
                failing(() -> new Forwarding() {
                    @Override
                    public void acknowledgeReceipts(Collection<Receipt> receipts) {}
                }));
    }

    @Test
    @DisplayName("catches a reclaim that drops unacknowledged deliveries instead of redelivering them")
    void catchesALosingReclaim() throws Throwable {
        assertEquals(Set.of("unacknowledgedAreRedelivered"), failing(() -> new Forwarding() {
            private final List<Delivery> held = new ArrayList<>();

            @Override
            public List<Delivery> take(int max, Duration wait) throws InterruptedException {
                List<Delivery> taken = super.take(max, wait);
                held.addAll(taken);
                return taken;
            }

            @Override
            public void reclaimUnacknowledged() {
                delegate.discard(held, DropReason.STALE);
                held.clear();
            }
        }));
    }

    @Test
    @DisplayName("catches a buffer that hands out every delivery twice")
    void catchesDoubleDelivery() throws Throwable {
        Function<List<Delivery>, List<Delivery>> twice = taken -> {
            List<Delivery> doubled = new ArrayList<>(taken);
            doubled.addAll(taken);
            return doubled;
        };
        assertEquals(Set.of("everyTrajectoryIsDeliveredOnceAsAppended", "acknowledgedAreNeverDeliveredAgain",
                        "receiptsSettleDeliveries", "discardedAreNeverDeliveredAgain", "unacknowledgedAreRedelivered",
                        "heldDeliveriesAreNotRepeated", "aTrajectoryAppendedTwiceIsDeliveredOnce"),
                failing(() -> new Forwarding() {
                    @Override
                    public List<Delivery> take(int max, Duration wait) throws InterruptedException {
                        return twice.apply(super.take(max, wait));
                    }
                }));
    }

    @Test
    @DisplayName("catches a buffer that redelivers held deliveries before any reclaim")
    void catchesEagerRedelivery() throws Throwable {
        assertEquals(Set.of("everyTrajectoryIsDeliveredOnceAsAppended", "acknowledgedAreNeverDeliveredAgain",
                        "receiptsSettleDeliveries", "discardedAreNeverDeliveredAgain", "unacknowledgedAreRedelivered",
                        "heldDeliveriesAreNotRepeated", "aTrajectoryAppendedTwiceIsDeliveredOnce"),
                failing(() -> new Forwarding() {
                    @Override
                    public List<Delivery> take(int max, Duration wait) throws InterruptedException {
                        delegate.reclaimUnacknowledged();
                        return super.take(max, wait);
                    }
                }));
    }
}

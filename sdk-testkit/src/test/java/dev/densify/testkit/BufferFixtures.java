package dev.densify.testkit;

import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.Receipt;
import dev.densify.api.buffer.TrajectoryBuffer;
import dev.densify.api.buffer.TrajectoryBufferProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.trajectory.Trajectory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A bounded queue buffer that keeps deliveries held until they are settled; correct or with one flaw, and the kit
 * adopted by each; run only through {@link PluginContractKitTest}.
 */
final class BufferFixtures {
    private BufferFixtures() {}

    enum Flaw { NONE, IGNORES_ACKNOWLEDGEMENTS, LOSING_RECLAIM, DOUBLE_DELIVERY, EAGER_REDELIVERY }

    public record BufferConfig(int capacity) {
        static BufferConfig defaults() {
            return new BufferConfig(64);
        }
    }

    static final class Queue implements TrajectoryBuffer {
        private final Flaw flaw;
        private final int capacity;
        private final ArrayDeque<Delivery> ready = new ArrayDeque<>();
        private final Map<String, Delivery> held = new LinkedHashMap<>();
        private final Set<String> settled = new HashSet<>();
        private long next;

        Queue(Flaw flaw, int capacity) {
            this.flaw = flaw;
            this.capacity = capacity;
        }

        @Override
        public synchronized void append(Trajectory trajectory) {
            if (ready.size() >= capacity) {
                throw new IllegalStateException("full");
            }
            ready.add(new Delivery("d" + next++, trajectory));
        }

        @Override
        public synchronized List<Delivery> take(int max, Duration wait) {
            if (flaw == Flaw.EAGER_REDELIVERY) {
                reclaimUnacknowledged();
            }
            List<Delivery> out = new ArrayList<>();
            while (out.size() < max && !ready.isEmpty()) {
                Delivery delivery = ready.poll();
                String id = delivery.trajectory().id();
                boolean isHeld = held.values().stream().anyMatch(d -> d.trajectory().id().equals(id));
                if (!isHeld && !settled.contains(id)) {
                    held.put(delivery.deliveryId(), delivery);
                    out.add(delivery);
                }
            }
            if (flaw == Flaw.DOUBLE_DELIVERY) {
                out.addAll(List.copyOf(out));
            }
            return out;
        }

        @Override
        public synchronized void acknowledgeReceipts(Collection<Receipt> receipts) {
            if (flaw != Flaw.IGNORES_ACKNOWLEDGEMENTS) {
                settle(receipts);
            }
        }

        @Override
        public synchronized void discard(Collection<Delivery> deliveries, String reason) {
            settle(deliveries.stream().map(Delivery::receipt).toList());
        }

        private void settle(Collection<Receipt> receipts) {
            for (Receipt receipt : receipts) {
                held.remove(receipt.deliveryId());
                settled.add(receipt.trajectoryId());
            }
        }

        @Override
        public synchronized void reclaimUnacknowledged() {
            List<Delivery> back = new ArrayList<>(held.values());
            if (flaw == Flaw.LOSING_RECLAIM) {
                discard(back, "stale");
                return;
            }
            held.clear();
            for (int i = back.size() - 1; i >= 0; i--) {
                ready.addFirst(back.get(i));
            }
        }

        @Override
        public void close() {}
    }

    abstract static class FixtureProvider extends FlawedProvider<Flaw> implements TrajectoryBufferProvider {
        FixtureProvider() {
            super("kit-", "buffer", Flaw.class);
        }

        @Override
        public TrajectoryBuffer create(PluginConfig config) {
            return new Queue(flaw, config.bind(BufferConfig.class).capacity());
        }
    }

    public static final class Correct extends FixtureProvider {}
    public static final class IgnoresAcknowledgements extends FixtureProvider {}
    public static final class LosingReclaim extends FixtureProvider {}
    public static final class DoubleDelivery extends FixtureProvider {}
    public static final class EagerRedelivery extends FixtureProvider {}

    /** Runs the provider it is named after, as {@link FlawedProvider#namedAfter} says. */
    abstract static class Kit extends TrajectoryBufferContractTest {
        @Override
        protected TrajectoryBufferProvider provider() {
            return FlawedProvider.namedAfter(getClass(), TrajectoryBufferProvider.class);
        }

        @Override
        protected Class<? extends Record> configType() {
            return BufferConfig.class;
        }

        @Override
        protected Duration arrival() {
            return Duration.ofMillis(500);
        }

        @Override
        protected Duration absence() {
            return Duration.ofMillis(50);
        }
    }

    static class CorrectKit extends Kit {}
    static class IgnoresAcknowledgementsKit extends Kit {}
    static class LosingReclaimKit extends Kit {}
    static class DoubleDeliveryKit extends Kit {}
    static class EagerRedeliveryKit extends Kit {}
}

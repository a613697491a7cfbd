package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.Receipt;
import dev.densify.api.buffer.TrajectoryBuffer;
import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The single-process buffer: a bounded FIFO with the same delivery semantics as the Redis buffer (deliveries
 * stay held until acknowledged or discarded, {@link #reclaimUnacknowledged()} makes them deliverable again,
 * duplicates by trajectory id are dropped), so the learner's code path is the same for both.
 *
 * <p>{@code capacity} bounds the undelivered trajectories. An {@link #append} that finds the buffer full waits
 * up to {@code appendTimeout} for the consumer to take some, then fails with a message saying so: memory stays
 * bounded and a stalled learner is reported instead of silently dropping data. Delivered, unacknowledged
 * trajectories are held by the learner itself and do not count towards the capacity.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class InMemoryTrajectoryBuffer implements TrajectoryBuffer {

    /** How many settled trajectory ids are remembered to recognise late duplicates. */
    private static final int REMEMBERED_IDS = 65_536;

    private final int capacity;
    private final Duration appendTimeout;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private final ArrayDeque<Delivery> ready = new ArrayDeque<>();
    private final LinkedHashMap<String, Delivery> inFlight = new LinkedHashMap<>();
    private final Map<String, String> inFlightTrajectories = new HashMap<>();
    private final LinkedHashMap<String, Boolean> settledIds = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_IDS;
        }
    };
    private final Map<String, Long> dropped = new HashMap<>();
    private long nextDelivery;
    private long appended;
    private long acknowledged;
    private boolean closed;

    /** A buffer whose appends wait up to 30 s when full. */
    public InMemoryTrajectoryBuffer(int capacity) {
        this(capacity, Duration.ofSeconds(30));
    }

    public InMemoryTrajectoryBuffer(int capacity, Duration appendTimeout) {
        if (capacity < 1) {
            throw new IllegalArgumentException("buffer capacity must be at least 1, got " + capacity);
        }
        Objects.requireNonNull(appendTimeout, "appendTimeout");
        if (appendTimeout.isNegative()) {
            throw new IllegalArgumentException("appendTimeout must not be negative, got " + appendTimeout);
        }
        this.capacity = capacity;
        this.appendTimeout = appendTimeout;
    }

    /**
     * @throws IllegalStateException when the buffer stayed full for {@code appendTimeout}, is closed, or the
     *     thread was interrupted while waiting (its interrupt flag stays set)
     */
    @Override
    public void append(Trajectory trajectory) {
        Objects.requireNonNull(trajectory, "trajectory");
        lock.lock();
        try {
            long nanos = appendTimeout.toNanos();
            while (ready.size() >= capacity && !closed) {
                if (nanos <= 0) {
                    throw new IllegalStateException("Trajectory buffer is full: " + capacity
                            + " trajectories waited " + appendTimeout.toMillis() + " ms without the learner taking any"
                            + " (raise buffer.capacity or take trajectories sooner)");
                }
                nanos = notFull.awaitNanos(nanos);
            }
            ensureOpen();
            ready.addLast(new Delivery("m-" + nextDelivery++, trajectory));
            appended++;
            notEmpty.signal();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for room in the trajectory buffer", e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<Delivery> take(int max, Duration wait) throws InterruptedException {
        requireValid(max, wait);
        List<Delivery> out = new ArrayList<>(Math.min(max, capacity));
        lock.lock();
        try {
            long nanos = wait.toNanos();
            while (out.isEmpty()) {
                while (ready.isEmpty() && !closed && nanos > 0) {
                    nanos = notEmpty.awaitNanos(nanos);
                }
                ensureOpen();
                if (ready.isEmpty()) {
                    break;
                }
                while (out.size() < max && !ready.isEmpty()) {
                    Delivery d = ready.pollFirst();
                    String id = d.trajectory().id();
                    if (inFlightTrajectories.containsKey(id) || settledIds.containsKey(id)) {
                        count(DropReason.DUPLICATE, 1);
                        continue;
                    }
                    inFlight.put(d.deliveryId(), d);
                    inFlightTrajectories.put(id, d.deliveryId());
                    out.add(d);
                }
                notFull.signalAll();
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void acknowledgeReceipts(Collection<Receipt> receipts) {
        Objects.requireNonNull(receipts, "receipts");
        lock.lock();
        try {
            acknowledged += settle(receipts);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void discard(Collection<Delivery> deliveries, String reason) {
        Objects.requireNonNull(deliveries, "deliveries");
        DropReason.require(reason);
        lock.lock();
        try {
            count(reason, settle(deliveries.stream().map(Delivery::receipt).toList()));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void reclaimUnacknowledged() {
        lock.lock();
        try {
            List<Delivery> held = new ArrayList<>(inFlight.values());
            for (int i = held.size() - 1; i >= 0; i--) {
                ready.addFirst(held.get(i));
            }
            inFlight.clear();
            inFlightTrajectories.clear();
            notEmpty.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A snapshot for {@code densify buffer status} and the learner's metrics. */
    public BufferStatus status() {
        lock.lock();
        try {
            return new BufferStatus("memory", capacity, ready.size() + inFlight.size(), inFlight.size(), appended,
                    acknowledged, dropped, List.of(new ConsumerStatus("local", inFlight.size(), Duration.ZERO)),
                    List.of(), 0);
        } finally {
            lock.unlock();
        }
    }

    /** Wakes waiting producers and consumers, which then fail; held deliveries are forgotten. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            notEmpty.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // Settles the receipts this consumer holds; returns how many it held.
    private int settle(Collection<Receipt> receipts) {
        int settled = 0;
        for (Receipt r : receipts) {
            settledIds.put(r.trajectoryId(), Boolean.TRUE);
            if (inFlight.remove(r.deliveryId()) != null) {
                inFlightTrajectories.remove(r.trajectoryId(), r.deliveryId());
                settled++;
            }
        }
        return settled;
    }

    private void count(String reason, long n) {
        if (n > 0) {
            dropped.merge(reason, n, Long::sum);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("Trajectory buffer is closed");
        }
    }

    static void requireValid(int max, Duration wait) {
        if (max < 1) {
            throw new IllegalArgumentException("take(max) needs max >= 1, got " + max);
        }
        Objects.requireNonNull(wait, "wait");
        if (wait.isNegative()) {
            throw new IllegalArgumentException("take(wait) must not be negative, got " + wait);
        }
    }
}

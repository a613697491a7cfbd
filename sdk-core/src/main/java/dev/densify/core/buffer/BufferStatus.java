package dev.densify.core.buffer;

import dev.densify.api.API;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of a buffer, what {@code densify buffer status} shows.
 *
 * @param backend where the buffer lives ({@code memory}, or the Redis URL without password and the stream key)
 * @param capacity the cap: undelivered entries in memory, stream entries (undelivered and pending) in Redis
 * @param length entries held now: not yet delivered plus delivered and unacknowledged
 * @param pending delivered and not yet acknowledged or discarded
 * @param appended appended since the buffer (or the Redis stream's counters) began
 * @param acknowledged acknowledged as trained
 * @param dropped settled without training, by reason (see {@link DropReason})
 * @param consumers the consumers reading the buffer
 * @param workers rollout workers that sent heartbeats recently (empty in memory)
 * @param deadLetters invalid entries kept for inspection (the Redis dead-letter stream's length; 0 in memory)
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record BufferStatus(
        String backend,
        long capacity,
        long length,
        long pending,
        long appended,
        long acknowledged,
        Map<String, Long> dropped,
        List<ConsumerStatus> consumers,
        List<WorkerStatus> workers,
        long deadLetters) {

    public BufferStatus {
        Objects.requireNonNull(backend, "backend");
        dropped = Map.copyOf(Objects.requireNonNull(dropped, "dropped"));
        consumers = List.copyOf(Objects.requireNonNull(consumers, "consumers"));
        workers = List.copyOf(Objects.requireNonNull(workers, "workers"));
    }

    public long droppedTotal() {
        return dropped.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Entries that left the buffer without being acknowledged or dropped: the stream cap trimmed them before
     * anyone read them. Derived from the counters, so approximate while producers and consumers are active.
     */
    public long evictedByCap() {
        return Math.max(0, appended - acknowledged - droppedTotal() - length);
    }

    /** Workers whose last heartbeat is older than the silence threshold. */
    public List<WorkerStatus> silentWorkers() {
        return workers.stream().filter(WorkerStatus::silent).toList();
    }
}

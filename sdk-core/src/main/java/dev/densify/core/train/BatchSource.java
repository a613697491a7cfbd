package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.api.buffer.Delivery;
import dev.densify.api.buffer.Receipt;
import java.util.Collection;
import java.util.List;

/**
 * Where an iteration's trajectories come from: collected in this process, or read from a shared buffer that
 * rollout workers fill. The trainer acknowledges deliveries only after the update that used them is checkpointed.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface BatchSource extends AutoCloseable {

    /** The trajectories for iteration {@code iteration}, produced by policy versions up to {@code policy.version()}. */
    Batch next(int iteration, LanguagePolicy policy, long seed);

    /** As {@link #next(int, LanguagePolicy, long)}, adding the time of environment calls made here to {@code times}. */
    default Batch next(int iteration, LanguagePolicy policy, long seed, PhaseTimes times) {
        return next(iteration, policy, seed);
    }

    /** The policy was updated to a new version; remote workers may pick it up from here on. */
    default void published(LanguagePolicy policy) {}

    /** The deliveries' updates are checkpointed: they must never be delivered again. */
    void acknowledge(List<Delivery> deliveries);

    /**
     * Resuming from a checkpoint that holds these receipts: acknowledge them (again), in case the previous process
     * died between writing the checkpoint and acknowledging. Sources whose deliveries die with the process ignore it.
     */
    default void acknowledgeReceipts(Collection<Receipt> receipts) {}

    @Override
    void close();

    /** Opens the run's source once the trainer has built its collector (remote sources may ignore it). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    interface Factory {
        BatchSource open(Collector collector, dev.densify.api.env.TaskSet tasks);
    }

    /** An iteration's trajectories with how they were obtained. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    record Batch(List<Delivery> deliveries, CollectionStats stats, java.util.Map<String, Object> metrics) {
        public Batch {
            deliveries = List.copyOf(deliveries);
            // in the source's order, so that the metrics line lists them alike in every run
            metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        }
    }
}

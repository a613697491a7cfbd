package dev.densify.api.buffer;

import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;
import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * Finished trajectories on their way from producers (the collector, remote rollout workers) to the learner.
 *
 * <p>Delivery is at-least-once: a delivery stays the consumer's until it is {@linkplain #acknowledge
 * acknowledged} or {@linkplain #discard discarded}; after a crash, or after {@link #reclaimUnacknowledged()},
 * it is delivered again. A buffer never hands out a trajectory whose id is currently delivered and
 * unacknowledged, or was acknowledged or discarded recently, so a copy appended twice (a producer retrying
 * through an outage) is dropped as a duplicate rather than trained twice.
 *
 * <p>The learner's contract: take, train, checkpoint, then acknowledge what the checkpointed update used. To
 * close the window between "checkpoint written" and "acknowledge returned", store the
 * {@linkplain Delivery#receipt() receipts} of those deliveries in the checkpoint and pass them to
 * {@link #acknowledgeReceipts} when resuming from it (acknowledging twice is harmless).
 *
 * <p>{@link #append} is safe from many threads; {@code take}, {@code acknowledge}, {@code discard} and
 * {@code reclaimUnacknowledged} are meant for one consumer thread but are safe to call from several.
 * sdk-testkit's {@code TrajectoryBufferContractTest} checks these promises.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public interface TrajectoryBuffer extends AutoCloseable {

    /** Adds a finished trajectory (producer side). Blocks while the buffer cannot accept it; see the implementation. */
    void append(Trajectory trajectory);

    /**
     * Up to {@code max} trajectories not yet delivered to this consumer; waits at most {@code wait} for the
     * first one and returns an empty list when none came.
     */
    List<Delivery> take(int max, Duration wait) throws InterruptedException;

    /** The deliveries were used in an update that is now checkpointed: never deliver them again. */
    default void acknowledge(Collection<Delivery> deliveries) {
        acknowledgeReceipts(deliveries.stream().map(Delivery::receipt).toList());
    }

    /** Like {@link #acknowledge}, from receipts kept in a checkpoint. Unknown or already settled receipts are ignored. */
    void acknowledgeReceipts(Collection<Receipt> receipts);

    /**
     * The deliveries will not be trained on (too stale, invalid): never deliver them again, and count them under
     * {@code reason} (1-64 lower-case letters, digits and underscores starting with a letter, e.g. {@code stale}).
     */
    void discard(Collection<Delivery> deliveries, String reason);

    /**
     * Makes every delivery this consumer holds unacknowledged deliverable again, e.g. after an update that failed
     * and will not be checkpointed. Deliveries taken before this call must not be acknowledged afterwards.
     */
    void reclaimUnacknowledged();

    @Override
    void close();
}

package dev.densify.api.buffer;

import dev.densify.api.API;
import dev.densify.api.trajectory.Trajectory;
import java.util.Objects;

/**
 * One trajectory handed to the consumer. {@code deliveryId} names this copy in the buffer (a Redis stream
 * entry id, or a sequence number in memory); the same trajectory delivered again after a crash may carry a
 * different one.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record Delivery(String deliveryId, Trajectory trajectory) {

    public Delivery {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(trajectory, "trajectory");
    }

    /** What a checkpoint keeps to acknowledge this delivery after a restart. */
    public Receipt receipt() {
        return new Receipt(deliveryId, trajectory.id());
    }
}

package dev.densify.api.buffer;

import dev.densify.api.API;
import java.util.Objects;

/** The identity of a delivery without its trajectory: small enough to keep in a checkpoint. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record Receipt(String deliveryId, String trajectoryId) {

    public Receipt {
        Objects.requireNonNull(deliveryId, "deliveryId");
        Objects.requireNonNull(trajectoryId, "trajectoryId");
    }
}

package dev.densify.core.buffer;

import dev.densify.api.buffer.Delivery;
import dev.densify.api.API;
import java.util.Objects;

/**
 * A delivery that will not be trained because it is invalid, why ({@code reason}, a {@link DropReason} name) and
 * what exactly was wrong ({@code detail}, for the log and the dead-letter stream).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Rejection(Delivery delivery, String reason, String detail) {

    public Rejection {
        Objects.requireNonNull(delivery, "delivery");
        DropReason.require(reason);
        Objects.requireNonNull(detail, "detail");
    }
}

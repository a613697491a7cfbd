package dev.densify.core.buffer;

import dev.densify.api.API;
import java.time.Duration;
import java.util.Objects;

/** A consumer of the buffer: how many deliveries it holds unacknowledged and how long since it last read. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record ConsumerStatus(String name, long pending, Duration idle) {

    public ConsumerStatus {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(idle, "idle");
    }
}

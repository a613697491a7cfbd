package dev.densify.core.buffer;

import dev.densify.api.API;

/** Bytes that are not a trajectory this version of densify can read; the message says what is wrong. */
@API(status = API.Status.STABLE, since = "0.1")
public final class TrajectoryFormatException extends IllegalArgumentException {

    public TrajectoryFormatException(String message) {
        super(message);
    }

    public TrajectoryFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

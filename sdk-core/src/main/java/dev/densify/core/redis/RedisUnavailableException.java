package dev.densify.core.redis;

import dev.densify.api.API;

/**
 * Redis could not be reached within the retry policy's {@code give_up_after}, or the caller stopped waiting
 * (interrupted, connection closed). The message names the server and the last cause.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RedisUnavailableException extends RuntimeException {

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}

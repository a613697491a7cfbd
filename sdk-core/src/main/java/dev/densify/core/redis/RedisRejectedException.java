package dev.densify.core.redis;

import dev.densify.api.API;

/**
 * Redis answered, and the answer means that retrying cannot help: the credentials are refused, the database index
 * does not exist on the server, or a key holds a value of another type (the namespace is shared with something
 * else). The message names the server (without the password), the operation and what to change.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RedisRejectedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public RedisRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}

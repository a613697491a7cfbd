package dev.densify.env.process;

import dev.densify.api.API;

/**
 * An environment server failed: it could not start, did not answer within its deadline, exited, wrote something that
 * is not the protocol, or reported a failure of its own. The message names the server, the call and what was
 * received. After every fault but the last the server has been stopped and the environment cannot be used again.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class ProcessServerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ProcessServerException(String message) {
        super(message);
    }

    ProcessServerException(String message, Throwable cause) {
        super(message, cause);
    }
}

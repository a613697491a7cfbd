package dev.densify.core.buffer.policy;

import dev.densify.api.API;

/** Policy bytes whose SHA-256 differs from the one published with them: corrupted or partly written. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PolicyChecksumException extends RuntimeException {

    public PolicyChecksumException(String message) {
        super(message);
    }
}

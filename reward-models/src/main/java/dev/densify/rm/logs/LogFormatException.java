package dev.densify.rm.logs;

import dev.densify.api.API;

/** A log file that cannot be read as logged interactions; the message names the file, the line and the field. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class LogFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LogFormatException(String message) {
        super(message);
    }

    public LogFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}

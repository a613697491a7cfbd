package dev.densify.cli;

import dev.densify.api.API;

/**
 * A problem the user caused and can fix (a bad argument, a missing file, an environment that rejects the run):
 * reported as one line, without a stack trace unless {@code --verbose}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /** A problem with the input: exit code 2. */
    public UserException(String message) {
        this(message, ErrorReporter.BAD_INPUT, null);
    }

    /** A problem with the input or with the work, with its exit code and the cause shown by {@code --verbose}. */
    public UserException(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

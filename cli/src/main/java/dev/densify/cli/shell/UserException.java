package dev.densify.cli.shell;

import dev.densify.api.API;

/**
 * A problem the user caused and can fix (a bad argument, a missing file, an environment that rejects the run):
 * reported as one line, without a stack trace unless {@code --verbose}.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    /** The exit code of a problem with the input (arguments, configuration, files). */
    public static final int BAD_INPUT = 2;
    /** The exit code of work that failed. */
    public static final int FAILED = 1;

    /** A problem with the input: exit code 2. */
    public UserException(String message) {
        this(message, BAD_INPUT, null);
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

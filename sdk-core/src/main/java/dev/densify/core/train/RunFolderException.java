package dev.densify.core.train;

import dev.densify.api.API;

/**
 * A run folder that cannot be used as asked: a fresh run into a folder that holds another run, nothing to resume,
 * or checkpoint state that is out of range. The message names the folder or file (and field) and what is allowed;
 * the user can fix it, so the command line reports it as one line.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RunFolderException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFolderException(String message) {
        super(message);
    }

    public RunFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}

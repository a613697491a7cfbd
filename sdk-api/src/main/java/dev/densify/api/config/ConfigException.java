package dev.densify.api.config;

import dev.densify.api.API;

/** Bad configuration that a user can fix: the message names the key's full path and what is allowed. */
@API(status = API.Status.STABLE, since = "0.1")
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String path;
    private final String problem;

    public ConfigException(String path, String problem) {
        super(path + ": " + problem);
        this.path = path;
        this.problem = problem;
    }

    /** What is wrong with the key, without its path. */
    @API(status = API.Status.STABLE, since = "0.2")
    public String problem() {
        return problem;
    }

    /** The full dotted path of the offending key. */
    public String path() {
        return path;
    }
}

package dev.densify.core.config;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Every problem found while composing and validating a configuration, so that a user fixes them all in one go.
 * The message has one line per problem, each starting with the key's full path.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public class ConfigValidationException extends ConfigException {
    private static final long serialVersionUID = 1L;
    private final List<ConfigException> problems;

    public ConfigValidationException(List<ConfigException> problems) {
        super(first(problems).path(), first(problems).getMessage());
        this.problems = List.copyOf(problems);
    }

    private static ConfigException first(List<ConfigException> problems) {
        if (Objects.requireNonNull(problems, "problems").isEmpty()) {
            throw new IllegalArgumentException("a ConfigValidationException needs at least one problem");
        }
        return problems.get(0);
    }

    /** The problems in the order found, each with its path. */
    public List<ConfigException> problems() {
        return problems;
    }

    @Override
    public String getMessage() {
        return problems.stream().map(ConfigException::getMessage).collect(Collectors.joining(System.lineSeparator()));
    }
}

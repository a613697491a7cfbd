package dev.densify.core.plugin;

import dev.densify.api.API;
import java.util.List;
import java.util.Objects;

/**
 * The set of plugins on the class path is unusable or a requested plugin is not there: a duplicate name, a
 * provider that cannot be loaded or created, an unknown name. Users fix it by changing jars or names, so the
 * message has one line per problem and names the classes, jars and known names involved.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public PluginException(List<String> problems) {
        super(String.join(System.lineSeparator(), requireNonEmpty(problems)));
        this.problems = List.copyOf(problems);
    }

    public PluginException(String problem) {
        this(List.of(Objects.requireNonNull(problem, "problem")));
    }

    /** One line per problem, in the order they were found. */
    public List<String> problems() {
        return problems;
    }

    private static List<String> requireNonEmpty(List<String> problems) {
        if (Objects.requireNonNull(problems, "problems").isEmpty()) {
            throw new IllegalArgumentException("a PluginException needs at least one problem");
        }
        return problems;
    }
}

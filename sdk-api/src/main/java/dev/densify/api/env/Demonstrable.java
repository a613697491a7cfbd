package dev.densify.api.env;

import dev.densify.api.API;
import java.util.List;
import java.util.Optional;

/**
 * Optional capability of an {@link Environment} that can show an expert solution from its current state,
 * used for supervised warm starts and for checking that tasks are solvable.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Demonstrable {
    /**
     * Actions that lead from the current state to success, shortest known first; empty when the task cannot be
     * solved from here. Does not change the environment's state.
     */
    Optional<List<String>> demonstrate();
}

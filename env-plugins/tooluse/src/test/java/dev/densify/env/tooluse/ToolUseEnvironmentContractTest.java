package dev.densify.env.tooluse;

import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.testkit.EnvironmentContractTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

class ToolUseEnvironmentContractTest extends EnvironmentContractTest {
    /** Calls of every kind: good ones, failing ones, malformed text, a blank action, wrong answers. */
    private static final List<String> GENERIC = List.of("calc(2+3)", "calc(1/0)", "calc(", "lookup(price,apple)",
            "lookup(colour,apple)", "convert(2 km,m)", "convert(2 km,kg)", "search(arlo bridge)", "search()",
            "answer(5)", "hello", "", "weather(paris)");

    private Map<String, Task> tasksById;

    @Override
    protected EnvironmentProvider provider() {
        return new ToolUseProvider();
    }

    /** The action space is open text: generic calls plus the task's own plan, so that some episodes succeed. */
    @Override
    protected List<String> candidateActions(Observation observation) {
        if (tasksById == null) {
            TaskSet set = provider().tasks(config());
            tasksById = Stream.concat(set.train().stream(), set.heldOut().stream())
                    .collect(Collectors.toMap(Task::id, t -> t));
        }
        String id = observation.stateKey().substring(0, observation.stateKey().indexOf('\u0001'));
        List<String> candidates = new ArrayList<>(TaskGenerator.problem(tasksById.get(id)).actions());
        GENERIC.stream().filter(a -> !candidates.contains(a)).forEach(candidates::add);
        return candidates;
    }
}

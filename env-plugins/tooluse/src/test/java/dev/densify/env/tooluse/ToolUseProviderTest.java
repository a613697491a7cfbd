package dev.densify.env.tooluse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ToolUseProviderTest {
    private final ToolUseProvider provider = new ToolUseProvider();

    private TaskSet tasks(Map<String, ?> values) {
        return provider.tasks(PluginConfig.of("env", values));
    }

    private static Set<String> templates(java.util.List<Task> tasks) {
        return tasks.stream().map(t -> t.metadata().get("template")).collect(Collectors.toSet());
    }

    private static double meanPlanLength(java.util.List<Task> tasks) {
        return tasks.stream().mapToInt(t -> TaskGenerator.problem(t).actions().size()).average().orElseThrow();
    }

    @Test
    void heldOutQuestionsComeFromDisjointTemplatesAndNeedMoreCalls() {
        TaskSet set = tasks(Map.of());
        assertEquals(64, set.train().size());
        assertEquals(32, set.heldOut().size());
        assertEquals(Set.of("cost", "meters", "bridge-cm", "stock-weight", "arithmetic"), templates(set.train()));
        assertEquals(Set.of("cost-difference", "towers-km", "grams", "trip-minutes"), templates(set.heldOut()));
        double train = meanPlanLength(set.train());
        double heldOut = meanPlanLength(set.heldOut());
        assertTrue(heldOut > train + 0.8, () -> "held-out plans take " + heldOut + " steps, training ones " + train);
    }

    @Test
    void theSameConfigurationGivesTheSameQuestionsAndAnotherSeedOthers() {
        assertEquals(tasks(Map.of()), tasks(Map.of()));
        assertNotEquals(tasks(Map.of()).train(), tasks(Map.of("seed", "7")).train());
    }

    @Test
    void theBudgetFollowsThePlanUnlessFixed() {
        for (Task task : tasks(Map.of("budget_factor", "1.5")).heldOut()) {
            int plan = TaskGenerator.problem(task).actions().size();
            assertEquals((int) Math.ceil(1.5 * plan), TaskGenerator.budget(task), task.id());
        }
        tasks(Map.of("step_budget", "9")).train().forEach(t -> assertEquals(9, TaskGenerator.budget(t)));
    }

    @Test
    void trainingQuestionsComeFromTheChosenTemplatesAndHeldOutOnesAreUnchanged() {
        TaskSet chosen = tasks(Map.of("train_templates", List.of("arithmetic", "cost")));
        assertEquals(java.util.Set.of("arithmetic", "cost"), chosen.train().stream()
                .map(t -> t.metadata().get("template")).collect(java.util.stream.Collectors.toSet()));
        assertEquals(tasks(Map.of()).heldOut(), chosen.heldOut());
    }

    @Test
    void rejectsBadConfigurationNamingTheKey() {
        assertEquals("env.history", assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("env", Map.of("history", "0")))).path());
        assertEquals("env.budget_factor", assertThrows(ConfigException.class,
                () -> tasks(Map.of("budget_factor", "0.5"))).path());
        ConfigException view = assertThrows(ConfigException.class,
                () -> provider.create(PluginConfig.of("env", Map.of("view", "grid"))));
        assertEquals("env.view", view.path());
        assertTrue(view.getMessage().contains("full, result"), view.getMessage());
        ConfigException template = assertThrows(ConfigException.class,
                () -> tasks(Map.of("train_templates", List.of("cost", "grams"))));
        assertEquals("env.train_templates", template.path());
        assertTrue(template.getMessage().contains("'grams' is not a training template"), template.getMessage());
        assertEquals("env.colour", assertThrows(ConfigException.class,
                () -> tasks(Map.of("colour", "red"))).path());
        ConfigException tooMany = assertThrows(ConfigException.class, () -> tasks(Map.of("held_out_tasks", "100000")));
        assertEquals("env.held_out_tasks", tooMany.path());
    }
}

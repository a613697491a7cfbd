package dev.densify.env.gridworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class GridworldProviderTest {
    private final GridworldProvider provider = new GridworldProvider();

    /** A fixed base (7x7 mazes, 64/16/16 tasks, budget 3x optimal) so that these tests do not follow the defaults. */
    private static final Map<String, Object> BASE = Map.of("size", 7, "train_tasks", 64, "held_out_tasks", 16,
            "harder_tasks", 16, "budget_factor", 3.0);

    private static PluginConfig env(Map<String, ?> values) {
        Map<String, Object> merged = new java.util.LinkedHashMap<>(BASE);
        merged.putAll(values);
        return PluginConfig.of("env", merged);
    }

    private TaskSet defaults() {
        return provider.tasks(env(Map.of()));
    }

    private static Layout layoutOf(Task task) {
        return LayoutGenerator.generate(LayoutSpec.of(task));
    }

    private static int optimalFromCanonicalStart(Task task) {
        Layout layout = layoutOf(task);
        return Solver.solve(layout, layout.canonicalStart(), 0).orElseThrow().size();
    }

    @Test
    void generatesTheConfiguredNumberOfTasksPerTier() {
        TaskSet tasks = defaults();
        assertEquals(64, tasks.train().size());
        assertEquals(32, tasks.heldOut().size());
        assertEquals(Map.of("held-out", 16L, "harder", 16L),
                tasks.heldOut().stream().collect(Collectors.groupingBy(t -> t.metadata().get("tier"),
                        Collectors.counting())));
    }

    @Test
    void heldOutLayoutsAreNeverTrainingLayouts() {
        TaskSet tasks = defaults();
        Set<String> trainIds = tasks.train().stream().map(Task::id).collect(Collectors.toSet());
        Set<String> trainLayouts = tasks.train().stream().map(t -> layoutOf(t).picture()).collect(Collectors.toSet());
        assertEquals(64, trainLayouts.size(), "training layouts repeat");
        for (Task task : tasks.heldOut()) {
            assertTrue(!trainIds.contains(task.id()), task.id());
            assertTrue(!trainLayouts.contains(layoutOf(task).picture()), () -> task.id() + " is a training layout");
        }
    }

    @Test
    void harderHeldOutTasksAreBiggerWithMorePairsAndLonger() {
        TaskSet tasks = defaults();
        List<Task> harder = tasks.heldOut().stream().filter(t -> t.metadata().get("tier").equals("harder")).toList();
        for (Task task : harder) {
            assertEquals("9", task.metadata().get("size"));
            assertEquals("2", task.metadata().get("keyDoorPairs"));
        }
        for (Task task : tasks.train()) {
            assertEquals("7", task.metadata().get("size"));
            assertEquals("1", task.metadata().get("keyDoorPairs"));
        }
        double train = tasks.train().stream().mapToInt(GridworldProviderTest::optimalFromCanonicalStart).average()
                .orElseThrow();
        double hard = harder.stream().mapToInt(GridworldProviderTest::optimalFromCanonicalStart).average()
                .orElseThrow();
        assertTrue(hard > 1.5 * train, () -> "harder tasks take " + hard + " steps on average, training ones "
                + train);
    }

    @Test
    void theSameConfigurationGivesTheSameTasksAndAnotherSeedOthers() {
        assertEquals(defaults(), provider.tasks(env(Map.of())));
        TaskSet reseeded = provider.tasks(env(Map.of("seed", "7")));
        assertNotEquals(layoutOf(defaults().train().get(0)).picture(), layoutOf(reseeded.train().get(0)).picture());
    }

    @Test
    void overridesShapeTheTasks() {
        TaskSet tasks = provider.tasks(env(Map.of("size", "11", "key_door_pairs", "3", "train_tasks", "5",
                "held_out_tasks", "2", "harder_tasks", "0")));
        assertEquals(5, tasks.train().size());
        assertEquals(2, tasks.heldOut().size());
        for (Task task : tasks.train()) {
            Layout layout = layoutOf(task);
            assertEquals(11, layout.size());
            assertEquals(3, layout.letters());
            assertEquals("You are @. Pick up keys a, b, c to open doors A, B, C, then reach the goal G.",
                    task.instruction());
        }
    }

    @Test
    void aTaskAloneRebuildsItsEpisodes() {
        Task task = defaults().train().get(3);
        Task copy = new Task(task.id(), task.instruction(), Map.copyOf(task.metadata()));
        try (Environment one = provider.create(env(Map.of())); Environment other = new GridworldEnvironment(GridworldConfig.defaults().view())) {
            assertEquals(one.reset(task, 5L), other.reset(copy, 5L));
        }
    }

    @Test
    void theResetSeedDrawsTheStartAndTheBudgetFollowsTheOptimalLength() {
        Task task = defaults().train().get(0);
        Layout layout = layoutOf(task);
        Set<String> starts = new HashSet<>();
        try (Environment env = provider.create(env(Map.of()))) {
            for (long seed : LongStream.range(0, 40).toArray()) {
                String key = env.reset(task, seed).stateKey();
                starts.add(key.substring(0, key.indexOf(' ')));
                int optimal = ((Demonstrable) env).demonstrate().orElseThrow().size();
                assertTrue(key.endsWith(" left=" + (int) Math.ceil(3.0 * optimal)), key);
            }
        }
        assertTrue(starts.size() > 1 && starts.size() <= layout.starts().length, starts::toString);
    }

    @Test
    void withoutRandomStartsEveryEpisodeStartsAtTheCanonicalCell() {
        TaskSet tasks = provider.tasks(env(Map.of("random_start", "false", "step_budget", "40")));
        Task task = tasks.train().get(0);
        Layout layout = layoutOf(task);
        String canonical = task.id() + "@" + layout.canonicalStart() / layout.size() + ","
                + layout.canonicalStart() % layout.size() + " keys= doors= left=40";
        try (Environment env = provider.create(env(Map.of()))) {
            for (long seed = 0; seed < 10; seed++) {
                assertEquals(canonical, env.reset(task, seed).stateKey());
            }
        }
    }

    @Test
    void observationsStayCompact() {
        try (Environment env = provider.create(env(Map.of()))) {
            for (Task task : defaults().heldOut()) {
                int length = env.reset(task, 0L).text().length();
                assertTrue(length < 250, () -> task.id() + " shows " + length + " characters");
            }
        }
    }

    @Test
    void rejectsBadConfigurationNamingTheKey() {
        assertEquals("env.size", assertThrows(ConfigException.class,
                () -> provider.tasks(env(Map.of("size", "8")))).path());
        assertEquals("env.colour", assertThrows(ConfigException.class,
                () -> provider.create(env(Map.of("colour", "red")))).path());
        assertEquals("env.loops", assertThrows(ConfigException.class,
                () -> provider.tasks(env(Map.of("loops", "1.5")))).path());
        assertEquals("env.harder_extra_size", assertThrows(ConfigException.class,
                () -> provider.tasks(env(Map.of("harder_extra_size", "1")))).path());
        assertEquals("env.held_out_tasks", assertThrows(ConfigException.class,
                () -> provider.tasks(env(Map.of("held_out_tasks", "0", "harder_tasks", "0")))).path());
        assertEquals("env.key_door_pairs", assertThrows(ConfigException.class,
                () -> provider.tasks(env(Map.of("key_door_pairs", "7")))).path());
    }

    @Test
    void rejectsConfigurationsWhoseLayoutsCannotBeMade() {
        ConfigException tooMany = assertThrows(ConfigException.class, () -> provider.tasks(env(Map.of(
                "size", "5", "key_door_pairs", "0", "train_tasks", "500"))));
        assertEquals("env.train_tasks", tooMany.path());
        ConfigException tight = assertThrows(ConfigException.class, () -> provider.tasks(env(Map.of(
                "size", "5", "key_door_pairs", "3", "harder_tasks", "0"))));
        assertEquals("env.key_door_pairs", tight.path());
        assertTrue(tight.getMessage().contains("3 key/door pairs do not fit a 5x5 maze"), tight.getMessage());
    }

    @Test
    void refusesTasksOfOtherEnvironments() {
        try (Environment env = provider.create(env(Map.of()))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> env.reset(new Task("t", "do it", Map.of()), 0L));
            assertTrue(e.getMessage().contains("task 't' is not a gridworld task"), e.getMessage());
        }
    }
}

package dev.densify.env.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SokobanProviderTest {
    private final SokobanProvider provider = new SokobanProvider();

    private TaskSet tasks(Map<String, ?> values) {
        return provider.tasks(PluginConfig.of("env", values));
    }

    private static int optimal(Task task) {
        Room room = Rooms.of(task);
        return Solver.solve(room, room.start(room.startPlayer())).moves().size();
    }

    @Test
    void generatedRoomsAreSolvableOffGoalAndNotDeadAtTheStart() {
        qt().withFixedSeed(21L).withExamples(120)
                .forAll(integers().between(5, 7), integers().between(1, 3), longs().all())
                .checkAssert((size, boxes, seed) -> {
                    Room room = RoomGenerator.generate(new RoomSpec(size, boxes, 0.1, 60, 0, 3.0, true, seed));
                    long start = room.start(room.startPlayer());
                    assertEquals(boxes, room.boxCount());
                    assertEquals(0, room.boxesOnGoals(start), room.picture(start));
                    assertFalse(DeadEnds.detect(room, start, Solver.DEFAULT_LIMIT), room.picture(start));
                    Solver.Result solution = Solver.solve(room, start);
                    assertTrue(solution.solved() && room.solved(Walk.follow(room, start, solution.moves())),
                            room.picture(start));
                    for (int player : room.reachable(Room.boxes(start), room.startPlayer())) {
                        assertTrue(Solver.solve(room, room.start(player)).solved(), "a random start is solvable");
                    }
                    assertEquals(room.picture(start), RoomGenerator.generate(new RoomSpec(size, boxes, 0.1, 60, 0, 3.0,
                            true, seed)).picture(start), "the same spec gives the same room");
                });
    }

    @Test
    void tiersHoldTheirBoxesAndHarderRoomsAreBiggerAndLonger() {
        TaskSet set = Rooms.DEFAULT_TASKS;
        assertEquals(32, set.train().size());
        assertEquals(16, set.heldOut().size());
        for (Task task : set.train()) {
            assertEquals("6", task.metadata().get("size"));
            int boxes = Integer.parseInt(task.metadata().get("boxes"));
            assertTrue(boxes >= 1 && boxes <= 2, task.metadata()::toString);
        }
        assertEquals(Set.of("1", "2"), set.train().stream().map(t -> t.metadata().get("boxes"))
                .collect(Collectors.toSet()));
        List<Task> harder = set.heldOut().stream().filter(t -> t.metadata().get("tier").equals("harder")).toList();
        assertEquals(4, harder.size());
        harder.forEach(t -> assertEquals(List.of("7", "3"), List.of(t.metadata().get("size"),
                t.metadata().get("boxes"))));
        double train = set.train().stream().mapToInt(SokobanProviderTest::optimal).average().orElseThrow();
        double hard = harder.stream().mapToInt(SokobanProviderTest::optimal).average().orElseThrow();
        assertTrue(hard > 1.5 * train, () -> "harder rooms take " + hard + " moves on average, training ones " + train);
    }

    @Test
    void heldOutRoomsAreNeverTrainingRooms() {
        Set<String> train = Rooms.DEFAULT_TASKS.train().stream().map(t -> Rooms.of(t).picture(Rooms.of(t).start(
                Rooms.of(t).startPlayer()))).collect(Collectors.toSet());
        assertEquals(32, train.size());
        for (Task task : Rooms.DEFAULT_TASKS.heldOut()) {
            Room room = Rooms.of(task);
            assertFalse(train.contains(room.picture(room.start(room.startPlayer()))), task.id());
        }
    }

    @Test
    void theSameConfigurationGivesTheSameTasksAndAnotherSeedOthers() {
        assertEquals(Rooms.DEFAULT_TASKS, tasks(Map.of()));
        assertNotEquals(Rooms.DEFAULT_TASKS.train(), tasks(Map.of("seed", "3")).train());
    }

    @Test
    void rejectsBadConfigurationNamingTheKey() {
        for (Map.Entry<String, String> bad : Map.of("size", "10", "min_boxes", "3", "max_boxes", "7",
                "wall_fraction", "0.5", "budget_factor", "0", "harder_extra_size", "4", "colour", "red").entrySet()) {
            ConfigException e = assertThrows(ConfigException.class, () -> tasks(Map.of(bad.getKey(), bad.getValue())),
                    bad::toString);
            assertEquals("env." + bad.getKey(), e.path(), bad::toString);
        }
        ConfigException crowded = assertThrows(ConfigException.class, () -> tasks(Map.of("size", "5",
                "min_boxes", "5", "max_boxes", "6", "wall_fraction", "0.4", "harder_tasks", "0", "harder_extra_boxes", "0",
                "harder_extra_size", "0")));
        assertEquals("env.max_boxes", crowded.path());
    }
}

package dev.densify.env.sokoban;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.env.Observation;
import dev.densify.api.env.Signals;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SokobanEnvironmentTest {
    private static final Room ONE_BOX = Room.parse("""
            ######
            #____#
            #_$__#
            #_@__#
            #__._#
            ######""");

    private static SokobanEnvironment env() {
        return new SokobanEnvironment(false, true);
    }

    @Test
    void followingTheSolverPushesTheBoxOntoItsGoalWithProgressOnEveryStep() {
        try (SokobanEnvironment env = env()) {
            Observation start = env.begin("t", ONE_BOX, ONE_BOX.start(ONE_BOX.startPlayer()), 10);
            assertTrue(start.text().endsWith("\n######\n#____#\n#_$__#\n#_@__#\n#__._#\n######\nboxes on goals 0/1,"
                    + " steps left 10"), start.text());
            List<String> moves = env.demonstrate().orElseThrow();
            // Round the box's left side, push it right, go round above it and push it down twice.
            assertEquals(List.of("left", "up", "right", "up", "right", "down", "down"), moves);
            StepResult last = null;
            for (String move : moves) {
                last = env.step(move.toUpperCase(java.util.Locale.ROOT) + " ");
                assertFalse(Signals.invalidAction(last.info()) || Signals.invalidState(last.info()), move);
                assertEquals(last.done() ? 1.0 : 0.0, Signals.progress(last.info()).orElseThrow());
            }
            assertTrue(last.done() && last.terminal() && env.score().success(), env::render);
            assertEquals(StepResult.Truncation.NONE, last.truncation());
            assertTrue(env.render().endsWith("| solved"), env.render());
        }
    }

    @Test
    void invalidMovesCostAStepChangeNothingAndSaySo() {
        try (SokobanEnvironment env = env()) {
            Room room = Room.parse("""
                    ######
                    #____#
                    #____#
                    #_$$@#
                    #_.._#
                    ######""");
            Observation before = env.begin("t", room, room.start(room.startPlayer()), 10);
            for (String bad : List.of("left", "right", "jump", "", "up up")) {
                StepResult r = env.step(bad);
                assertTrue(Signals.invalidAction(r.info()), () -> bad + ": " + r.info());
                assertEquals(before.anchorKey(), r.observation().anchorKey(), bad);
            }
            assertTrue(env.render().contains("steps left 5"), env.render());
        }
    }

    @Test
    void aDeadEndIsReportedOnEveryStepInItAndTheEpisodeGoesOnUnlessConfiguredToEnd() {
        Room room = Room.parse("""
                ######
                #____#
                #_$__#
                #_@__#
                #___.#
                ######""");
        long start = room.start(room.startPlayer());
        try (SokobanEnvironment env = env()) {
            env.begin("t", room, start, 6);
            StepResult pushed = env.step("up");
            assertTrue(Signals.invalidState(pushed.info()) && !pushed.done(), pushed.info()::toString);
            assertTrue(env.demonstrate().isEmpty());
            StepResult walked = env.step("down");
            assertTrue(Signals.invalidState(walked.info()), "still a dead end after walking away");
            assertTrue(env.render().contains("dead end"));
            assertFalse(walked.observation().text().contains("dead"), "the observation does not give it away");
            StepResult last = null;
            while (last == null || !last.done()) {
                last = env.step("left");
            }
            assertEquals(StepResult.Truncation.BUDGET_IN_STATE, last.truncation());
        }
        try (SokobanEnvironment ending = new SokobanEnvironment(true, true)) {
            ending.begin("t", room, start, 6);
            StepResult pushed = ending.step("up");
            assertTrue(pushed.done() && pushed.terminal() && !ending.score().success());
            assertEquals(StepResult.Truncation.NONE, pushed.truncation());
            assertTrue(ending.render().contains("ended at a dead end"), ending.render());
        }
    }

    @Test
    void everyStepReportsSignalsThatAgreeWithTheSolver() {
        List<Task> tasks = Rooms.all();
        qt().withFixedSeed(12L).withExamples(60)
                .forAll(integers().between(0, tasks.size() - 1), lists().of(integers().between(0, 4))
                        .ofSizeBetween(1, 40))
                .checkAssert((index, choices) -> {
                    try (SokobanEnvironment env = env()) {
                        Task task = tasks.get(index);
                        env.reset(task, index);
                        Room room = Rooms.of(task);
                        for (int choice : choices) {
                            String action = choice == 4 ? "north" : Move.values()[choice].word;
                            StepResult r = env.step(action);
                            double progress = Signals.progress(r.info()).orElseThrow();
                            assertTrue(progress >= 0 && progress <= 1);
                            assertTrue(r.info().containsKey(Signals.PROGRESS));
                            String key = r.observation().stateKey();
                            assertEquals(r.observation().anchorKey() + key.substring(key.lastIndexOf(" left=")), key);
                            Solver.Result solution = Solver.solve(room, positionOf(env, room));
                            if (Signals.invalidState(r.info())) {
                                assertFalse(solution.solved(), env::render);
                            } else if (!r.done()) {
                                assertTrue(solution.solved(), env::render);
                            }
                            if (r.done()) {
                                break;
                            }
                        }
                    }
                });
    }

    /** The position an environment is in, read from its render through the room's own numbering. */
    private static long positionOf(SokobanEnvironment env, Room room) {
        String render = env.render();
        return boxesAndPlayer(room, render.substring(0, render.indexOf("\nboxes")));
    }

    private static long boxesAndPlayer(Room room, String picture) {
        String flat = picture.replace("\n", "");
        long boxes = 0;
        int player = -1;
        for (int cell = 0; cell < flat.length(); cell++) {
            char c = flat.charAt(cell);
            if (c == Room.BOX || c == Room.BOX_ON_GOAL) {
                boxes |= room.bit(cell);
            }
            if (c == Room.PLAYER || c == Room.PLAYER_ON_GOAL) {
                player = cell;
            }
        }
        return room.position(boxes, player);
    }

    @Test
    void refusesTasksOfOtherEnvironmentsAndStepsOutsideAnEpisode() {
        try (SokobanEnvironment env = env()) {
            assertThrows(IllegalStateException.class, () -> env.step("up"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> env.reset(new Task("t", "do it", Map.of()), 0L));
            assertTrue(e.getMessage().contains("task 't' is not a sokoban task"), e.getMessage());
        }
    }
}

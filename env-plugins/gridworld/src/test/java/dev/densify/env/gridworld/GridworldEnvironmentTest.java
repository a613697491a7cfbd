package dev.densify.env.gridworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GridworldEnvironmentTest {
    private static final Layout MAZE = Mazes.KEY_AND_DOOR;

    private final GridworldEnvironment env = new GridworldEnvironment();

    private Observation begin(int budget) {
        return env.begin("maze", "Reach G.", MAZE, MAZE.canonicalStart(), budget);
    }

    /** The info without the reward designer's signals, which have tests of their own. */
    private static Map<String, String> events(StepResult result) {
        Map<String, String> events = new java.util.HashMap<>(result.info());
        events.keySet().removeIf(key -> key.startsWith("signal."));
        return events;
    }

    private static double progress(StepResult result) {
        return Signals.progress(result.info()).orElseThrow();
    }

    private StepResult walk(String... actions) {
        StepResult last = null;
        for (String action : actions) {
            last = env.step(action);
        }
        return last;
    }

    @Test
    void theLocalViewShowsNeighboursAndWhereTheGoalKeysAndDoorsAre() {
        GridworldEnvironment local = new GridworldEnvironment(GridworldConfig.View.LOCAL);
        Observation start = local.begin("maze", "Reach G.", MAZE, MAZE.canonicalStart(), 20);
        assertEquals("up open, down wall, left wall, right open; goal 2 down; key a 2 up; door A 4 right;"
                + " steps left 20", start.text());
        local.step("up");
        // the key is picked up, so it leaves the view; the door stays until it is opened
        assertEquals("up wall, down open, left wall, right wall; goal 4 down; door A 2 down 4 right; steps left 18",
                local.step("up").observation().text());
    }

    @Test
    void showsTheInstructionTheGridTheKeysAndTheStepsLeft() {
        Observation start = begin(20);
        assertEquals("""
                Reach G.
                #######
                #a#...#
                #.#.#.#
                #@..#A#
                #####.#
                #G....#
                #######
                keys: none | steps left: 20""", start.text());
        assertEquals(List.of("up", "down", "left", "right"), start.admissibleActions());
        assertEquals("maze@3,1 keys= doors= left=20", start.stateKey());
        assertEquals(start.text(), "Reach G.\n" + env.render());
    }

    @Test
    void walkingIntoAWallCostsAStepAndChangesNothingElse() {
        Observation start = begin(20);
        StepResult result = env.step("left");
        assertEquals(Map.of("invalid", "a wall blocks the way left"), events(result));
        assertEquals(0.0, result.reward());
        assertFalse(result.done());
        assertEquals(start.text().replace("steps left: 20", "steps left: 19"), result.observation().text());
    }

    @Test
    void unknownTextCostsAStepAndNamesTheAllowedActions() {
        begin(20);
        StepResult result = env.step("jump over the wall");
        assertEquals(Map.of("invalid", "unknown action 'jump over the wall'; allowed: up, down, left, right"),
                events(result));
        assertEquals("maze@3,1 keys= doors= left=19", result.observation().stateKey());
    }

    @Test
    void quotesOnlyTheStartOfALongUnknownAction() {
        begin(20);
        String essay = "I think the best move here is to go around the wall and then up";
        assertEquals(Map.of("invalid", "unknown action 'I think the best move here is to go arou...'; allowed: up, "
                + "down, left, right"), events(env.step(essay)));
    }

    @Test
    void aResetAfterAnotherEpisodeBuildsTheTasksOwnLayout() {
        Task task = new GridworldProvider().tasks(PluginConfig.empty("env")).train().get(0);
        Observation fresh = new GridworldEnvironment().reset(task, 1L);
        env.reset(task, 1L);
        begin(20);
        assertEquals(fresh, env.reset(task, 1L));
    }

    @Test
    void acceptsMovesInAnyCaseAndWithSurroundingSpace() {
        begin(20);
        StepResult result = env.step("  Right\n");
        assertEquals(Map.of("event", "moved right"), events(result));
        assertEquals("maze@3,2 keys= doors= left=19", result.observation().stateKey());
    }

    @Test
    void aLockedDoorStopsTheAgentAndSaysWhichKeyOpensIt() {
        begin(20);
        StepResult result = walk("right", "right", "up", "up", "right", "right", "down", "down");
        assertEquals(Map.of("invalid", "door A is locked; key a opens it"), events(result));
        assertEquals("maze@2,5 keys= doors= left=12", result.observation().stateKey());
    }

    @Test
    void walkingOntoAKeyPicksItUpAndWalkingIntoItsDoorOpensIt() {
        begin(30);
        StepResult picked = walk("up", "up");
        assertEquals(Map.of("event", "picked up key a"), events(picked));
        assertTrue(picked.observation().text().contains("#@#...#"), picked.observation().text());
        assertTrue(picked.observation().text().contains("keys: a |"), picked.observation().text());
        StepResult opened = walk("down", "down", "right", "right", "up", "up", "right", "right", "down", "down");
        assertEquals(Map.of("event", "opened door A"), events(opened));
        assertEquals("maze@3,5 keys=a doors=a left=18", opened.observation().stateKey());
        assertTrue(opened.observation().text().contains("#...#@#"), opened.observation().text());
    }

    @Test
    void reachingTheGoalEndsTheEpisodeWithSuccess() {
        begin(30);
        StepResult last = walk("up", "up", "down", "down", "right", "right", "up", "up", "right", "right", "down",
                "down", "down", "down", "left", "left", "left", "left");
        assertTrue(last.done());
        assertEquals(Map.of("event", "reached the goal", "terminated", "true"), events(last));
        assertEquals(0.0, last.reward(), "step rewards are sparse: the outcome carries the success");
        assertEquals(new Outcome(1.0, true), env.score());
        assertEquals(List.of(), last.observation().admissibleActions());
        assertTrue(env.render().endsWith("steps left: 12 | goal reached"), env.render());
        assertThrows(IllegalStateException.class, () -> env.step("up"));
    }

    @Test
    void runningOutOfStepsTruncatesTheEpisodeWithoutSuccess() {
        begin(2);
        assertFalse(env.step("right").done());
        StepResult last = env.step("left");
        assertTrue(last.done());
        assertEquals(Map.of("event", "moved left", "truncated", "true"), events(last));
        // The observation shows the steps left: nothing can be won from the last state, so it is terminal.
        assertEquals(StepResult.Truncation.BUDGET_IN_STATE, last.truncation());
        assertTrue(last.terminal());
        assertEquals(new Outcome(0.0, false), env.score());
        assertTrue(env.render().endsWith("steps left: 0 | out of steps"), env.render());
        assertThrows(IllegalStateException.class, () -> env.step("right"));
    }

    @Test
    void anInvalidLastStepIsStillTruncated() {
        begin(1);
        assertEquals(Map.of("invalid", "a wall blocks the way left", "truncated", "true"), events(env.step("left")));
    }

    @Test
    void demonstratesAnOptimalSolutionFromTheCurrentStateWithoutChangingIt() {
        begin(30);
        walk("right");
        String before = env.render();
        List<String> demonstration = env.demonstrate().orElseThrow();
        assertEquals(env.render(), before);
        assertEquals(19, demonstration.size(), demonstration::toString);
        StepResult last = walk(demonstration.toArray(String[]::new));
        assertTrue(last.done());
        assertTrue(env.score().success());
        assertEquals(Optional.empty(), env.demonstrate(), "nothing to demonstrate once done");
    }

    @Test
    void demonstratesNothingWhenTheStepsLeftCannotReachTheGoal() {
        begin(17);
        assertEquals(Optional.empty(), env.demonstrate());
        begin(18);
        assertEquals(18, env.demonstrate().orElseThrow().size());
    }

    @Test
    void progressIsOneMinusTheShortestWayLeftOverTheStartsAndReachesOneAtTheGoal() {
        begin(30);
        // The shortest way from the start is 18 moves: up twice for key a, back, round to door A, down to G.
        String[] way = {"up", "up", "down", "down", "right", "right", "up", "up", "right", "right", "down", "down",
            "down", "down", "left", "left", "left", "left"};
        for (int t = 0; t < way.length; t++) {
            StepResult result = env.step(way[t]);
            assertEquals(1.0 - (18.0 - (t + 1)) / 18.0, progress(result), 1e-12, "after move " + (t + 1));
            assertFalse(Signals.invalidAction(result.info()), "move " + (t + 1) + " was allowed");
            assertFalse(Signals.invalidState(result.info()), "gridworld has no invalid states");
        }
    }

    @Test
    void movingAwayLowersProgressAndNeverBelowZero() {
        begin(30);
        // right leads away from key a, which the way needs first: 19 left, worse than the start's 18
        StepResult away = env.step("right");
        assertEquals(0.0, progress(away), 0);
        assertEquals(1.0 / 18, progress(walk("left", "up")), 1e-12);
    }

    @Test
    void refusedMovesAreInvalidActionsAndLeaveProgressAsItWas() {
        begin(30);
        double before = progress(env.step("up"));
        for (String refused : List.of("left", "fly", "right")) {
            StepResult result = env.step(refused);
            assertTrue(Signals.invalidAction(result.info()), refused + " was refused");
            assertEquals(before, progress(result), 0, refused + " changed nothing");
        }
    }

    @Test
    void aForkReportsTheSameProgressAsTheOriginal() {
        begin(30);
        walk("up", "up", "down");
        var fork = env.fork();
        assertEquals(env.step("down").info(), fork.step("down").info());
    }

    @Test
    void rendersBeforeTheFirstEpisodeAndRefusesToStep() {
        assertEquals("(no episode yet: call reset)", env.render());
        assertEquals(new Outcome(0.0, false), env.score());
        assertThrows(IllegalStateException.class, () -> env.step("up"));
    }

    @Test
    void aForkGoesOnAloneFromTheSameState() {
        begin(30);
        walk("up", "up");
        var fork = env.fork();
        assertEquals(env.render(), fork.render());
        StepResult forkStep = fork.step("down");
        assertTrue(env.render().contains("#@#...#"), env.render());
        assertEquals(forkStep, env.step("down"));
    }
}

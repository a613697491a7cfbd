package dev.densify.env.gridworld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Observation;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The compact view: the local view's facts in symbols and initials. */
class GridworldCompactViewTest {
    private static final Layout MAZE = Mazes.KEY_AND_DOOR;

    @Test
    void showsNeighboursOffsetsAndStepsLeftInSymbols() {
        GridworldEnvironment compact = new GridworldEnvironment(GridworldConfig.View.COMPACT);
        Observation start = compact.begin("maze", "Reach G.", MAZE, MAZE.canonicalStart(), 20);
        assertEquals("u. d# l# r. G2d a2u A4r 20", start.text());
        compact.step("up");
        // the key is picked up: it leaves the view, and its cell reads as open
        assertEquals("u# d. l# r# G4d A2d4r 18", compact.step("up").observation().text());
    }

    @Test
    void tellsStatesApartExactlyWhenTheLocalViewDoes() {
        // Over random walks on the default tasks, equal compact texts go with equal local texts and back:
        // the shorter view loses nothing the agent could have read.
        PluginConfig config = PluginConfig.of("env", Map.of("key_door_pairs", 2, "size", 7));
        List<Task> tasks = new GridworldProvider().tasks(config).train();
        Map<String, String> localOfCompact = new HashMap<>();
        Map<String, String> compactOfLocal = new HashMap<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int episode = 0; episode < 60; episode++) {
            Task task = tasks.get(episode % tasks.size());
            long seed = random.nextLong();
            GridworldEnvironment local = new GridworldEnvironment(GridworldConfig.View.LOCAL);
            GridworldEnvironment compact = new GridworldEnvironment(GridworldConfig.View.COMPACT);
            Observation l = local.reset(task, seed);
            Observation c = compact.reset(task, seed);
            while (true) {
                String previousLocal = localOfCompact.putIfAbsent(c.text(), l.text());
                String previousCompact = compactOfLocal.putIfAbsent(l.text(), c.text());
                assertEquals(previousLocal == null ? l.text() : previousLocal, l.text(), c.text());
                assertEquals(previousCompact == null ? c.text() : previousCompact, c.text(), l.text());
                assertTrue(c.text().length() * 2 < l.text().length(), c.text() + " against " + l.text());
                String move = Move.WORDS.get(random.nextInt(4));
                StepResult a = local.step(move);
                StepResult b = compact.step(move);
                l = a.observation();
                c = b.observation();
                if (a.done()) {
                    break;
                }
            }
        }
        assertTrue(localOfCompact.size() > 200, "too few distinct states: " + localOfCompact.size());
    }
}

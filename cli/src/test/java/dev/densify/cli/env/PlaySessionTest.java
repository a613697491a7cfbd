package dev.densify.cli.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.cli.shell.UserException;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaySessionTest {
    /** A door that must be unlocked, then opened; "kick" is refused and "explode" is a bug in the environment. */
    static class Door implements Environment {
        private String state = "locked";

        @Override
        public Observation reset(Task task, long seed) {
            state = "locked";
            return observation();
        }

        @Override
        public StepResult step(String action) {
            switch (action) {
                case "unlock" -> state = state.equals("locked") ? "closed" : state;
                case "open" -> state = state.equals("closed") ? "open" : state;
                case "kick" -> throw new IllegalArgumentException("kicking is not an action here");
                case "explode" -> throw new IllegalStateException("boom");
                default -> { }
            }
            return new StepResult(observation(), state.equals("open") ? 1.0 : 0.0, state.equals("open"),
                    state.equals("open") ? Map.of("via", "door") : Map.of());
        }

        @Override
        public Outcome score() {
            return new Outcome(state.equals("open") ? 1 : 0, state.equals("open"));
        }

        @Override
        public Environment fork() {
            Door copy = new Door();
            copy.state = state;
            return copy;
        }

        @Override
        public String render() {
            return "[door " + state + "]";
        }

        private Observation observation() {
            return new Observation("The door is " + state + ".", state, List.of("unlock", "open"));
        }
    }

    private static String play(String input, boolean showObservation) {
        StringWriter out = new StringWriter();
        new PlaySession("door", new Door(), new BufferedReader(new StringReader(input)), new PrintWriter(out),
                showObservation).play(new Task("t1", "Open the door.", Map.of()), 7);
        return out.toString();
    }

    @Test
    void playsToTheEndShowingEveryState() {
        assertEquals("""
                env door, task t1, seed 7: Open the door.
                [door locked]
                actions: unlock, open
                > > rejected: kicking is not an action here
                [door locked]
                actions: unlock, open
                > reward 0.0, done false
                [door closed]
                actions: unlock, open
                > reward 1.0, done true, info {via=door}
                [door open]
                episode over after 2 steps; outcome reward 1.0, success true
                """, play("\nkick\n unlock \nopen\nignored\n", false));
    }

    @Test
    void endOfInputOrQuitStopsEarly() {
        assertTrue(play("unlock\n", false).endsWith("> \nstopped after 1 steps; outcome reward 0.0, success false\n"));
        assertTrue(play("quit\nunlock\nopen\n", true).endsWith("""
                [door locked]
                observation:
                The door is locked.
                actions: unlock, open
                > stopped after 0 steps; outcome reward 0.0, success false
                """));
    }

    @Test
    void terminalEscapeSequencesInEchoedTextAreFiltered() {
        Door sneaky = new Door() {
            @Override
            public String render() {
                return "\u001B]0;owned\u0007\u001B[2J[room]\u001B[31m red\u001B[0m\r";
            }

            @Override
            public StepResult step(String action) {
                throw new IllegalArgumentException("unknown action '" + action + "'");
            }
        };
        StringWriter out = new StringWriter();
        new PlaySession("door", sneaky, new BufferedReader(new StringReader("go\u001B[1A\u001B[2Kwin\nquit\n")),
                new PrintWriter(out), false).play(new Task("t1", "Open \u009B2J the door.", Map.of()), 7);
        assertEquals("""
                env door, task t1, seed 7: Open  the door.
                [room] red?
                actions: unlock, open
                > rejected: unknown action 'gowin'
                [room] red?
                actions: unlock, open
                > stopped after 0 steps; outcome reward 0.0, success false
                """, out.toString());
    }

    @Test
    void anEnvironmentThatThrowsIsAClearFailure() {
        UserException e = assertThrows(UserException.class, () -> play("explode\n", false));
        assertEquals("environment 'door' failed in step 'explode': java.lang.IllegalStateException: boom", e.getMessage());
        assertEquals(1, e.exitCode());
    }
}

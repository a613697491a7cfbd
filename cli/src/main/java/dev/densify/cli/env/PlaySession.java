package dev.densify.cli.env;

import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.cli.shell.UserException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.Supplier;

/** One interactive episode: show the state and the actions, read an action, step, until done or quit. */
final class PlaySession {
    static final String QUIT = "quit";

    private final String name;
    private final Environment environment;
    private final BufferedReader in;
    private final PrintWriter out;
    private final boolean showObservation;

    PlaySession(String name, Environment environment, BufferedReader in, PrintWriter out, boolean showObservation) {
        this.name = name;
        this.environment = environment;
        this.in = in;
        this.out = out;
        this.showObservation = showObservation;
    }

    void play(Task task, long seed) {
        out.println(printable("env " + name + ", task " + task.id() + ", seed " + seed + ": " + task.instruction()));
        Observation observation = call("reset", () -> environment.reset(task, seed));
        int steps = 0;
        while (true) {
            show(observation);
            String action = readAction();
            if (action == null) {
                out.println("stopped after " + steps + " steps; " + outcome());
                return;
            }
            StepResult result;
            try {
                result = environment.step(action);
            } catch (IllegalArgumentException e) {
                out.println(printable("rejected: " + e.getMessage()));
                continue;
            } catch (RuntimeException e) {
                throw failure("step '" + action + "'", e);
            }
            steps++;
            out.println(printable("reward " + result.reward() + ", done " + result.done()
                    + (result.info().isEmpty() ? "" : ", info " + result.info())));
            observation = result.observation();
            if (result.done()) {
                out.println(printable(call("render", environment::render)));
                out.println("episode over after " + steps + " steps; " + outcome());
                return;
            }
        }
    }

    private void show(Observation observation) {
        out.println(printable(call("render", environment::render)));
        if (showObservation) {
            out.println("observation:");
            out.println(printable(observation.text()));
        }
        out.println(printable(observation.admissibleActions().isEmpty() ? "actions: any text"
                : "actions: " + String.join(", ", observation.admissibleActions())));
    }

    // CSI (ESC [ ... final), OSC (ESC ] ... BEL or ESC \), and two-character ESC sequences
    private static final java.util.regex.Pattern ESCAPE = java.util.regex.Pattern.compile(
            "\u001B\\[[0-?]*[ -/]*[@-~]|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)?|\u001B[@-_]?|\u009B[0-?]*[ -/]*[@-~]");

    /**
     * The text with terminal escape sequences removed and other control characters (but newline and tab) shown as
     * '?': environment output and echoed actions are untrusted, and an escape sequence could retitle the terminal,
     * clear it, or rewrite what the user sees.
     */
    static String printable(String text) {
        String stripped = ESCAPE.matcher(text).replaceAll("");
        StringBuilder out = new StringBuilder(stripped.length());
        stripped.codePoints().forEach(c -> out.appendCodePoint(c == '\n' || c == '\t' || !Character.isISOControl(c)
                ? c : '?'));
        return out.toString();
    }

    /** The next non-blank line, or null at end of input or on {@value #QUIT}. */
    private String readAction() {
        try {
            while (true) {
                out.print("> ");
                out.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals(QUIT)) {
                    if (line == null) {
                        out.println();
                    }
                    return null;
                }
                if (!line.isBlank()) {
                    return line.strip();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }

    private String outcome() {
        Outcome outcome = call("score", environment::score);
        return "outcome reward " + outcome.reward() + ", success " + outcome.success();
    }

    private <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw failure(what, e);
        }
    }

    private UserException failure(String what, RuntimeException e) {
        return new UserException(printable("environment '" + name + "' failed in " + what + ": " + e), 1, e);
    }
}

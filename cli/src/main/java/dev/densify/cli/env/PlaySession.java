package dev.densify.cli.env;

import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.cli.UserException;
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
        out.println("env " + name + ", task " + task.id() + ", seed " + seed + ": " + task.instruction());
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
                out.println("rejected: " + e.getMessage());
                continue;
            } catch (RuntimeException e) {
                throw failure("step '" + action + "'", e);
            }
            steps++;
            out.println("reward " + result.reward() + ", done " + result.done()
                    + (result.info().isEmpty() ? "" : ", info " + result.info()));
            observation = result.observation();
            if (result.done()) {
                out.println(call("render", environment::render));
                out.println("episode over after " + steps + " steps; " + outcome());
                return;
            }
        }
    }

    private void show(Observation observation) {
        out.println(call("render", environment::render));
        if (showObservation) {
            out.println("observation:");
            out.println(observation.text());
        }
        out.println(observation.admissibleActions().isEmpty() ? "actions: any text"
                : "actions: " + String.join(", ", observation.admissibleActions()));
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
        return new UserException("environment '" + name + "' failed in " + what + ": " + e, 1, e);
    }
}

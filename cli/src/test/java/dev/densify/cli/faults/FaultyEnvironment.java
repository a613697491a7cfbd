package dev.densify.cli.faults;

import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/** A corridor (walk right to the last cell) that plants its {@link Fault}, if it has one, at the first chance. */
final class FaultyEnvironment implements Environment {
    private final FaultyEnvironmentProvider.FaultyConfig config;
    private final Fault fault;
    private int position;
    private int steps;
    private int renders;
    private boolean done;

    FaultyEnvironment(FaultyEnvironmentProvider.FaultyConfig config, Fault fault) {
        this.config = config;
        this.fault = fault;
    }

    @Override
    public Observation reset(Task task, long seed) {
        position = 0;
        steps = 0;
        done = false;
        if (plant(Fault.RESET_THROWS)) {
            throw new IllegalStateException("planted fault: reset throws");
        }
        if (plant(Fault.RESET_NULL)) {
            return null;
        }
        return observation();
    }

    @Override
    public StepResult step(String action) {
        if (done) {
            throw new IllegalStateException("the episode is over");
        }
        if (plant(Fault.STEP_THROWS)) {
            throw new IllegalStateException("planted fault: step throws");
        }
        if (plant(Fault.STEP_HANGS)) {
            // parked for good, and deaf to the interrupt the deadline sends: the thread is lost, the run is not
            while (true) {
                LockSupport.park(this);
            }
        }
        if (plant(Fault.STEP_NULL)) {
            return null;
        }
        position = "right".equals(action.strip()) ? Math.min(config.length() - 1, position + 1)
                : "left".equals(action.strip()) ? Math.max(0, position - 1) : position;
        steps++;
        done = position == config.length() - 1 || steps >= config.maxSteps();
        double reward = plant(Fault.NAN_REWARD) ? Double.NaN
                : plant(Fault.INFINITE_REWARD) ? Double.POSITIVE_INFINITY : 0.0;
        Observation next = plant(Fault.HUGE_OBSERVATION)
                ? new Observation("x".repeat(32 << 20), "huge", List.of("left", "right")) : observation();
        return new StepResult(next, reward, done, Map.of());
    }

    @Override
    public Outcome score() {
        boolean success = position == config.length() - 1;
        return new Outcome(plant(Fault.NAN_OUTCOME) ? Double.NaN : success ? 1.0 : 0.0, success);
    }

    @Override
    public Environment fork() {
        FaultyEnvironment copy = new FaultyEnvironment(config, null);
        copy.position = position;
        copy.steps = steps;
        copy.done = done;
        return copy;
    }

    @Override
    public String render() {
        // the first render follows reset; the second, the first step
        if (++renders == 2 && plant(Fault.RENDER_THROWS)) {
            throw new IllegalStateException("planted fault: render throws");
        }
        return picture();
    }

    private String picture() {
        StringBuilder row = new StringBuilder();
        for (int cell = 0; cell < config.length(); cell++) {
            row.append(cell == position ? 'A' : cell == config.length() - 1 ? 'G' : '.');
        }
        return row.toString();
    }

    private Observation observation() {
        return new Observation("Corridor: " + picture() + " (A is you, G the goal). Actions: left, right.",
                position + "/" + steps, done ? List.of() : List.of("left", "right"));
    }

    /** Whether this environment's fault is {@code candidate}; if so, it is recorded in the journal as planted. */
    private boolean plant(Fault candidate) {
        if (fault != candidate) {
            return false;
        }
        if (!config.journal().isEmpty()) {
            synchronized (FaultyEnvironment.class) {
                try {
                    Files.writeString(Path.of(config.journal()), fault.name() + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return true;
    }
}

package dev.densify.testkit;

import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A corridor to walk to its end within a step budget: small enough to read at a glance, with the state the kit must
 * see through (position, steps left, the end of the episode). Each {@link Flaw} breaks one promise of the contract
 * the way real environments break it.
 */
class Corridor implements Environment {

    /** One broken promise, or none. */
    enum Flaw {
        NONE,
        /** fork() copies the reference to the mutable state, not the state. */
        FORK_SHARES_STATE,
        /** reset ignores its seed and draws the start from an unseeded random source. */
        RESET_IGNORES_SEED,
        /** The state key leaves out the steps left, on which the end of the episode depends. */
        KEY_OMITS_STEPS_LEFT,
        /** step after the end of the episode quietly returns the last observation again. */
        STEP_AFTER_DONE_ALLOWED,
        /** The reward normalises the distance left by itself, which is 0/0 at the end. */
        NAN_REWARD,
        /** The provider reads its keys one by one and never notices one it does not know. */
        IGNORES_UNKNOWN_KEYS,
        /** The provider is missing from the services file. */
        UNREGISTERED,
        /** The defaults file says 3 steps per cell, the record 2. */
        DRIFTED_DEFAULTS,
        /** Progress counts the cell the agent will step to: more than 1 at the end. */
        PROGRESS_OFF_BY_ONE,
        /** Reaching the end is a success, but the episode goes on until the budget runs out. */
        SUCCESS_DOES_NOT_END
    }

    static final List<String> ACTIONS = List.of("left", "right");

    /** Mutable on purpose: the episode's state, copied by a correct fork. */
    static final class State {
        final Task task;
        final int length;
        int position;
        int stepsLeft;
        boolean done;

        State(Task task, int length, int position, int stepsLeft) {
            this.task = task;
            this.length = length;
            this.position = position;
            this.stepsLeft = stepsLeft;
        }

        State copy() {
            State copy = new State(task, length, position, stepsLeft);
            copy.done = done;
            return copy;
        }

        boolean atEnd() {
            return position == length - 1;
        }
    }

    final Flaw flaw;
    /** Steps in the budget per cell of the corridor (the configuration's {@code budget_per_cell}). */
    final int budgetPerCell;
    State state;

    Corridor(Flaw flaw, int budgetPerCell) {
        this.flaw = flaw;
        this.budgetPerCell = budgetPerCell;
    }

    static Task task(String id, int length) {
        return new Task(id, "walk right to the end of the corridor", Map.of("length", Integer.toString(length)));
    }

    @Override
    public Observation reset(Task task, long seed) {
        int length = Integer.parseInt(task.metadata().get("length"));
        long draw = flaw == Flaw.RESET_IGNORES_SEED ? ThreadLocalRandom.current().nextLong() : seed;
        state = new State(task, length, (int) Math.floorMod(draw, (long) length - 1), budgetPerCell * length);
        return observation();
    }

    @Override
    public StepResult step(String action) {
        if (state == null) {
            throw new IllegalStateException("call reset first");
        }
        if (state.done) {
            if (flaw == Flaw.STEP_AFTER_DONE_ALLOWED) {
                return new StepResult(observation(), 0.0, true, Map.of());
            }
            throw new IllegalStateException("the episode is done");
        }
        if (action.equals("left")) {
            state.position = Math.max(0, state.position - 1);
        } else if (action.equals("right")) {
            state.position = Math.min(state.length - 1, state.position + 1);
        }
        state.stepsLeft--;
        state.done = state.atEnd() && flaw != Flaw.SUCCESS_DOES_NOT_END || state.stepsLeft == 0;
        double reward = state.atEnd() ? 1.0 : 0.0;
        if (flaw == Flaw.NAN_REWARD) {
            double left = state.length - 1 - state.position;
            reward = 1.0 - left / left;
        }
        int cells = state.position + (flaw == Flaw.PROGRESS_OFF_BY_ONE ? 1 : 0);
        double progress = Math.min(cells, state.length) / (double) (state.length - 1);
        return new StepResult(observation(), reward, state.done, Map.of(Signals.PROGRESS, Double.toString(progress)));
    }

    private Observation observation() {
        String key = state.task.id() + "@" + state.position
                + (flaw == Flaw.KEY_OMITS_STEPS_LEFT ? "" : "/" + state.stepsLeft);
        return new Observation(render(), key, state.done ? List.of() : ACTIONS);
    }

    @Override
    public Outcome score() {
        boolean success = state != null && state.atEnd();
        return new Outcome(success ? 1.0 : 0.0, success);
    }

    @Override
    public Environment fork() {
        Corridor fork = newInstance();
        fork.state = state == null || flaw == Flaw.FORK_SHARES_STATE ? state : state.copy();
        return fork;
    }

    Corridor newInstance() {
        return new Corridor(flaw, budgetPerCell);
    }

    @Override
    public String render() {
        if (state == null) {
            return "(no episode)";
        }
        StringBuilder picture = new StringBuilder();
        for (int i = 0; i < state.length; i++) {
            picture.append(i == state.position ? '@' : i == state.length - 1 ? 'G' : '.');
        }
        return picture + " steps left " + state.stepsLeft;
    }
}

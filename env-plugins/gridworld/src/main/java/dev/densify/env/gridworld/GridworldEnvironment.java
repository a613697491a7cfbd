package dev.densify.env.gridworld;

import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One episode of a keys-and-doors maze. Walking onto a key picks it up; walking into a door while holding its key
 * opens it and steps in. Walking into a wall or a locked door, or writing anything but a move, costs a step and
 * changes nothing else. The episode ends at the goal (success) or when the step budget runs out (truncated).
 *
 * <p>Every step's info carries the {@link Signals} a reward designer uses. Progress is
 * {@code p = max(0, 1 - d / d0)}: {@code d} is the length of a shortest way to the goal from the agent's cell with
 * the keys it holds, {@code d0} the same from the episode's start with no keys (so {@code p} is 0 at reset and 1
 * exactly at the goal; cells farther from the goal than the start count as 0). Keys and doors count through the
 * distance, which the solver measures over (cell, keys held): picking up a key the way needs shortens the way (its
 * door becomes passable), opening a door is a step along it, and a key the way does not need changes nothing. An
 * invalid action is one the maze refused: an unknown move, a wall, a locked door (the info's {@code invalid} entry
 * says which). Gridworld has no invalid states: keys are never used up and every move can be undone, so the goal
 * stays reachable from every state.
 */
final class GridworldEnvironment implements Environment, Demonstrable {
    /** Longest piece of an unknown action quoted back in info: a model may write a paragraph. */
    private static final int QUOTED = 40;

    // The last task's layout, kept because episodes often repeat a task (a group of samples, an evaluation).
    private LayoutSpec lastSpec;
    private Layout lastLayout;

    private final GridworldConfig.View view;
    private Layout layout;
    private String taskId;
    private String instruction;
    private int position;
    private int keys;
    private int doors;
    private int stepsLeft;
    private boolean done;
    /** The shortest way's length from the episode's start: progress is measured against it. */
    private int startDistance;

    GridworldEnvironment() {
        this(GridworldConfig.View.GRID);
    }

    GridworldEnvironment(GridworldConfig.View view) {
        this.view = Objects.requireNonNull(view, "view");
    }

    @Override
    public Observation reset(Task task, long seed) {
        Objects.requireNonNull(task, "task");
        LayoutSpec wanted = LayoutSpec.of(task);
        if (!wanted.equals(lastSpec)) {
            lastLayout = LayoutGenerator.generate(wanted);
            lastSpec = wanted;
        }
        Layout maze = lastLayout;
        int[] starts = maze.starts();
        int start = wanted.randomStart() ? starts[(int) Math.floorMod(Seeds.mix(seed, 1), (long) starts.length)]
                : maze.canonicalStart();
        int budget = wanted.stepBudget() > 0 ? wanted.stepBudget()
                : (int) Math.ceil(wanted.budgetFactor() * Solver.solve(maze, start, 0).orElseThrow().size());
        return begin(task.id(), task.instruction(), maze, start, budget);
    }

    /** Starts an episode on a given layout: reset's second half, and the way tests set up hand-made mazes. */
    Observation begin(String id, String goal, Layout maze, int start, int budget) {
        taskId = id;
        instruction = goal;
        layout = maze;
        position = start;
        keys = 0;
        doors = 0;
        stepsLeft = budget;
        done = false;
        startDistance = distance();
        return observation();
    }

    @Override
    public StepResult step(String action) {
        Objects.requireNonNull(action, "action");
        if (layout == null) {
            throw new IllegalStateException("no episode has started; call reset first");
        }
        if (done) {
            throw new IllegalStateException("the episode is over; call reset to start another");
        }
        Attempt attempt = Move.parse(action).map(this::enter).orElseGet(() -> Attempt.refused("unknown action '"
                + (action.length() > QUOTED ? action.substring(0, QUOTED) + "..." : action) + "'; allowed: "
                + String.join(", ", Move.WORDS)));
        stepsLeft--;
        boolean atGoal = position == layout.goal();
        done = atGoal || stepsLeft == 0;
        Map<String, String> info = new LinkedHashMap<>();
        info.put(attempt.moved() ? "event" : "invalid", atGoal ? "reached the goal" : attempt.note());
        if (atGoal) {
            info.put("terminated", "true");
        } else if (done) {
            info.put("truncated", "true");
        }
        info.putAll(Signals.of(progress(), !attempt.moved(), false));
        // The observation shows the steps left, so running out of them is a real end: nothing more can be won.
        return new StepResult(observation(), 0.0, done, info, done && !atGoal
                ? StepResult.Truncation.BUDGET_IN_STATE : StepResult.Truncation.NONE);
    }

    /** What a move did: moved with a note on what happened, or refused with the reason. */
    private record Attempt(boolean moved, String note) {
        static Attempt refused(String reason) {
            return new Attempt(false, reason);
        }
    }

    private Attempt enter(Move move) {
        int next = layout.neighbour(position, move);
        char cell = layout.at(next);
        if (cell == Layout.WALL) {
            return Attempt.refused("a wall blocks the way " + move.word);
        }
        String note = "moved " + move.word;
        if (Layout.isDoor(cell) && (doors & Layout.bit(cell)) == 0) {
            if ((keys & Layout.bit(cell)) == 0) {
                return Attempt.refused("door " + cell + " is locked; key " + Character.toLowerCase(cell) + " opens it");
            }
            doors |= Layout.bit(cell);
            note = "opened door " + cell;
        } else if (Layout.isKey(cell) && (keys & Layout.bit(cell)) == 0) {
            keys |= Layout.bit(cell);
            note = "picked up key " + cell;
        }
        position = next;
        return new Attempt(true, note);
    }

    /** Progress toward the goal, {@code max(0, 1 - d / d0)}: see the class comment. */
    private double progress() {
        return startDistance == 0 ? 1.0 : Math.max(0.0, 1.0 - (double) distance() / startDistance);
    }

    /** The length of a shortest way from the agent's cell with its keys to the goal (always reachable). */
    private int distance() {
        return Solver.solve(layout, position, keys).orElseThrow(() -> new IllegalStateException(
                "the goal cannot be reached from cell " + position + " of\n" + layout)).size();
    }

    private Observation observation() {
        String anchor = taskId + "@" + position / layout.size() + "," + position % layout.size() + " keys="
                + letters(keys) + " doors=" + letters(doors);
        String text = switch (view) {
            case GRID -> instruction + "\n" + render();
            case LOCAL -> local();
            case COMPACT -> compact();
        };
        // The anchor omits the steps left: the same cell with the same keys is the same situation for GiGPO.
        return new Observation(text, anchor + " left=" + stepsLeft, done ? List.of() : Move.WORDS, anchor);
    }

    /**
     * The egocentric view: what lies one step in each direction, then where the goal, the keys not yet held and the
     * doors still closed are relative to the agent, e.g. {@code up wall, down open, left key a, right open; goal 2
     * down 1 left; door A 1 down; steps left 9}.
     */
    private String local() {
        StringBuilder text = new StringBuilder(96);
        for (Move move : Move.values()) {
            char cell = layout.at(layout.neighbour(position, move));
            boolean gone = Layout.isKey(cell) && (keys & Layout.bit(cell)) != 0
                    || Layout.isDoor(cell) && (doors & Layout.bit(cell)) != 0;
            String what = cell == Layout.WALL ? "wall" : cell == Layout.GOAL ? "goal"
                    : gone || cell == Layout.FLOOR ? "open" : (Layout.isKey(cell) ? "key " : "door ") + cell;
            text.append(move.ordinal() == 0 ? "" : ", ").append(move.word).append(' ').append(what);
        }
        text.append("; goal ").append(offset(layout.goal()));
        for (int pos = 0; pos < layout.cellCount(); pos++) {
            char cell = layout.at(pos);
            if (Layout.isKey(cell) && (keys & Layout.bit(cell)) == 0) {
                text.append("; key ").append(cell).append(' ').append(offset(pos));
            } else if (Layout.isDoor(cell) && (doors & Layout.bit(cell)) == 0) {
                text.append("; door ").append(cell).append(' ').append(offset(pos));
            }
        }
        return text.append("; steps left ").append(stepsLeft).toString();
    }

    /**
     * The egocentric view in a quarter of the tokens: each direction's initial and the cell there as the maze
     * draws it ({@code #} wall, {@code .} open, {@code G} goal, a key's lowercase or a closed door's uppercase
     * letter), then the goal, the keys not yet held and the doors still closed with their offsets as counts and
     * direction initials, then the steps left, e.g. {@code u# d. la r. G2d1l A1d 9} for the local view's example.
     */
    private String compact() {
        StringBuilder text = new StringBuilder(32);
        for (Move move : Move.values()) {
            char cell = layout.at(layout.neighbour(position, move));
            boolean gone = Layout.isKey(cell) && (keys & Layout.bit(cell)) != 0
                    || Layout.isDoor(cell) && (doors & Layout.bit(cell)) != 0;
            text.append(move.ordinal() == 0 ? "" : " ").append(move.word.charAt(0))
                    .append(gone ? Layout.FLOOR : cell);
        }
        text.append(" G").append(shortOffset(layout.goal()));
        for (int pos = 0; pos < layout.cellCount(); pos++) {
            char cell = layout.at(pos);
            if (Layout.isKey(cell) && (keys & Layout.bit(cell)) == 0
                    || Layout.isDoor(cell) && (doors & Layout.bit(cell)) == 0) {
                text.append(' ').append(cell).append(shortOffset(pos));
            }
        }
        return text.append(' ').append(stepsLeft).toString();
    }

    /** Where a cell is from the agent, as moves: "2 down 1 left", or "here". */
    private String offset(int cell) {
        return offset(cell, false);
    }

    /** {@link #offset(int)} in initials: "2d1l" for 2 down 1 left, "0" for here. */
    private String shortOffset(int cell) {
        return offset(cell, true);
    }

    private String offset(int cell, boolean initials) {
        int size = layout.size();
        int down = cell / size - position / size;
        int right = cell % size - position % size;
        String gap = initials ? "" : " ";
        StringBuilder text = new StringBuilder();
        if (down != 0) {
            text.append(Math.abs(down)).append(gap).append(word(down > 0 ? Move.DOWN : Move.UP, initials));
        }
        if (right != 0) {
            text.append(text.length() == 0 ? "" : gap).append(Math.abs(right)).append(gap)
                    .append(word(right > 0 ? Move.RIGHT : Move.LEFT, initials));
        }
        return text.length() == 0 ? (initials ? "0" : "here") : text.toString();
    }

    private static String word(Move move, boolean initial) {
        return initial ? move.word.substring(0, 1) : move.word;
    }

    private static String letters(int set) {
        StringBuilder text = new StringBuilder();
        for (int letter = 0; letter < Layout.LETTERS; letter++) {
            if ((set & 1 << letter) != 0) {
                text.append((char) ('a' + letter));
            }
        }
        return text.toString();
    }

    @Override
    public Outcome score() {
        boolean success = layout != null && position == layout.goal();
        return new Outcome(success ? 1.0 : 0.0, success);
    }

    @Override
    public Optional<List<String>> demonstrate() {
        if (layout == null || done) {
            return Optional.empty();
        }
        return Solver.solve(layout, position, keys).filter(moves -> moves.size() <= stepsLeft)
                .map(moves -> moves.stream().map(m -> m.word).toList());
    }

    @Override
    public Environment fork() {
        GridworldEnvironment fork = new GridworldEnvironment(view);
        fork.lastSpec = lastSpec;
        fork.lastLayout = lastLayout;
        fork.layout = layout;
        fork.taskId = taskId;
        fork.instruction = instruction;
        fork.position = position;
        fork.keys = keys;
        fork.doors = doors;
        fork.stepsLeft = stepsLeft;
        fork.done = done;
        fork.startDistance = startDistance;
        return fork;
    }

    @Override
    public String render() {
        if (layout == null) {
            return "(no episode yet: call reset)";
        }
        int size = layout.size();
        StringBuilder text = new StringBuilder(size * (size + 1) + 40);
        for (int pos = 0; pos < layout.cellCount(); pos++) {
            char cell = layout.at(pos);
            boolean gone = Layout.isKey(cell) && (keys & Layout.bit(cell)) != 0
                    || Layout.isDoor(cell) && (doors & Layout.bit(cell)) != 0;
            text.append(pos == position ? Layout.AGENT : gone ? Layout.FLOOR : cell);
            if (pos % size == size - 1) {
                text.append('\n');
            }
        }
        text.append("keys: ").append(keys == 0 ? "none" : String.join(" ", letters(keys).split("")))
                .append(" | steps left: ").append(stepsLeft);
        if (done) {
            text.append(position == layout.goal() ? " | goal reached" : " | out of steps");
        }
        return text.toString();
    }
}

package dev.densify.env.sokoban;

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
 * One episode of a Sokoban room. A move walks the player; walking into a box pushes it when the cell beyond is free.
 * Walking into a wall, pushing a box into a wall or another box, or writing anything but a move costs a step and
 * changes nothing else. The episode ends when every box is on a goal (success) or the step budget runs out.
 *
 * <p>A dead end (no sequence of moves can solve the room any more) is reported as an invalid state on every step
 * that stays in it. By default the episode goes on from a dead end: ending it there would make its last state
 * terminal, worth 0 by definition, and the critic's value on dead ends would never be used or seen; going on is also
 * how the benchmarks RAGEN and others report on play Sokoban. {@code end_on_dead_end} ends such episodes instead.
 */
final class SokobanEnvironment implements Environment, Demonstrable {
    /** Longest piece of an unknown action quoted back in info: a model may write a paragraph. */
    private static final int QUOTED = 40;

    // The last task's room, kept because episodes often repeat a task (a group of samples, an evaluation).
    private RoomSpec lastSpec;
    private Room lastRoom;

    private final boolean endOnDeadEnd;
    private final boolean proveDeadEnds;
    private Room room;
    private String taskId;
    private long position;
    private int stepsLeft;
    private boolean done;
    private boolean deadEnd;

    SokobanEnvironment(boolean endOnDeadEnd, boolean proveDeadEnds) {
        this.endOnDeadEnd = endOnDeadEnd;
        this.proveDeadEnds = proveDeadEnds;
    }

    @Override
    public Observation reset(Task task, long seed) {
        Objects.requireNonNull(task, "task");
        RoomSpec wanted = RoomSpec.of(task);
        if (!wanted.equals(lastSpec)) {
            lastRoom = RoomGenerator.generate(wanted);
            lastSpec = wanted;
        }
        Room r = lastRoom;
        int start = r.startPlayer();
        if (wanted.randomStart()) {
            int[] cells = r.reachable(Room.boxes(r.start(start)), start);
            start = cells[(int) Math.floorMod(Seeds.mix(seed, 1), (long) cells.length)];
        }
        long first = r.start(start);
        int budget = wanted.stepBudget() > 0 ? wanted.stepBudget()
                : (int) Math.ceil(wanted.budgetFactor() * Solver.solve(r, first).moves().size());
        return begin(task.id(), r, first, budget);
    }

    /** Starts an episode in a given room and position: reset's second half, and how tests set up hand-made rooms. */
    Observation begin(String id, Room r, long first, int budget) {
        taskId = id;
        room = r;
        position = first;
        stepsLeft = budget;
        done = false;
        deadEnd = deadEnd(first);
        return observation();
    }

    @Override
    public StepResult step(String action) {
        Objects.requireNonNull(action, "action");
        if (room == null) {
            throw new IllegalStateException("no episode has started; call reset first");
        }
        if (done) {
            throw new IllegalStateException("the episode is over; call reset to start another");
        }
        Attempt attempt = Move.parse(action).map(this::enter).orElseGet(() -> Attempt.refused("unknown action '"
                + (action.length() > QUOTED ? action.substring(0, QUOTED) + "..." : action) + "'; allowed: "
                + String.join(", ", Move.WORDS)));
        boolean invalid = !attempt.moved();
        String note = attempt.note();
        stepsLeft--;
        boolean solved = room.solved(position);
        done = solved || stepsLeft == 0 || deadEnd && endOnDeadEnd;
        Map<String, String> info = new LinkedHashMap<>(Signals.of(
                room.boxesOnGoals(position) / (double) room.boxCount(), invalid, deadEnd));
        info.put(invalid ? "invalid" : "event", solved ? "every box is on a goal" : note);
        // The observation shows the steps left, so running out of them is a real end, as is a dead end that ends it.
        boolean cut = done && !solved && !(deadEnd && endOnDeadEnd);
        return new StepResult(observation(), 0.0, done, info,
                cut ? StepResult.Truncation.BUDGET_IN_STATE : StepResult.Truncation.NONE);
    }

    /** What a move did: moved (or pushed) with a note, or refused with the reason. */
    private record Attempt(boolean moved, String note) {
        static Attempt refused(String reason) {
            return new Attempt(false, reason);
        }
    }

    /** Applies a move; a push is the only thing that can lead into a dead end. */
    private Attempt enter(Move move) {
        int player = room.player(position);
        int next = room.neighbour(player, move);
        if (room.isWall(next)) {
            return Attempt.refused("a wall blocks the way " + move.word);
        }
        long boxes = Room.boxes(position);
        long box = room.bit(next);
        if ((boxes & box) == 0) {
            position = room.position(boxes, next);
            return new Attempt(true, "moved " + move.word);
        }
        int beyond = room.neighbour(next, move);
        if (room.isWall(beyond) || (boxes & room.bit(beyond)) != 0) {
            return Attempt.refused("the box " + move.word + " cannot move");
        }
        position = room.position(boxes & ~box | room.bit(beyond), next);
        // Walking without pushing keeps the player where it can walk, so only a push changes whether this is a dead end.
        deadEnd = deadEnd(position);
        return new Attempt(true, "pushed a box " + move.word);
    }

    private boolean deadEnd(long at) {
        return proveDeadEnds ? DeadEnds.detect(room, at, Solver.DEFAULT_LIMIT) : DeadEnds.obvious(room, at);
    }

    private Observation observation() {
        String anchor = taskId + "@" + room.player(position) + " boxes=" + Long.toHexString(Room.boxes(position));
        // The dead-end flag stays out of the observation: whether the policy and the critic see dead ends by
        // themselves is what the invalid-state signal measures.
        String text = TaskGenerator.INSTRUCTION + "\n" + room.picture(position) + "\nboxes on goals "
                + room.boxesOnGoals(position) + "/" + room.boxCount() + ", steps left " + stepsLeft;
        // The anchor omits the steps left: the same position is the same situation for GiGPO.
        return new Observation(text, anchor + " left=" + stepsLeft, done ? List.of() : Move.WORDS, anchor);
    }

    @Override
    public Outcome score() {
        boolean success = room != null && room.solved(position);
        return new Outcome(success ? 1.0 : 0.0, success);
    }

    /** A shortest solution from here, when one exists within the steps left. */
    @Override
    public Optional<List<String>> demonstrate() {
        if (room == null || done || deadEnd) {
            return Optional.empty();
        }
        Solver.Result result = Solver.solve(room, position);
        return result.solved() && result.moves().size() <= stepsLeft
                ? Optional.of(result.moves().stream().map(m -> m.word).toList()) : Optional.empty();
    }

    @Override
    public Environment fork() {
        SokobanEnvironment fork = new SokobanEnvironment(endOnDeadEnd, proveDeadEnds);
        fork.lastSpec = lastSpec;
        fork.lastRoom = lastRoom;
        fork.room = room;
        fork.taskId = taskId;
        fork.position = position;
        fork.stepsLeft = stepsLeft;
        fork.done = done;
        fork.deadEnd = deadEnd;
        return fork;
    }

    @Override
    public String render() {
        if (room == null) {
            return "(no episode yet: call reset)";
        }
        StringBuilder text = new StringBuilder(room.picture(position)).append("\nboxes on goals ")
                .append(room.boxesOnGoals(position)).append('/').append(room.boxCount()).append(" | steps left ")
                .append(stepsLeft);
        if (deadEnd) {
            text.append(" | dead end");
        }
        if (done) {
            text.append(room.solved(position) ? " | solved" : deadEnd && endOnDeadEnd ? " | ended at a dead end"
                    : " | out of steps");
        }
        return text.toString();
    }
}

package dev.densify.env.sokoban;

/**
 * Recognises positions from which no box arrangement can reach the goals: pushes cannot be undone, so a room has dead
 * ends. Two patterns cost nothing to check: a box off goal on a dead square (a corner, or along a wall with no goal
 * on it), and a box off goal frozen in a 2x2 block of boxes and walls, where none of them can ever move. Other dead
 * ends are proved by the solver exhausting every position reachable from them, when that takes few enough positions.
 */
final class DeadEnds {
    private DeadEnds() {
    }

    /** Whether the position is a dead end by a pattern: never true of a position the solver can solve. */
    static boolean obvious(Room room, long position) {
        long boxes = Room.boxes(position);
        if ((boxes & room.deadSquareMask() & ~room.goals()) != 0) {
            return true;
        }
        int size = room.size();
        for (int cell = 0; cell < size * (size - 1); cell++) {
            if (cell % size == size - 1) {
                continue;
            }
            int[] block = {cell, cell + 1, cell + size, cell + size + 1};
            boolean frozen = true;
            boolean offGoal = false;
            for (int c : block) {
                boolean box = (boxes & room.bit(c)) != 0;
                frozen &= box || room.isWall(c);
                offGoal |= box && (room.goals() & room.bit(c)) == 0;
            }
            if (frozen && offGoal) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the position is a dead end: by a pattern, or proved by a search of at most {@code limit} positions.
     * False when neither shows it (a dead end that needs a longer search goes unreported).
     */
    static boolean detect(Room room, long position, int limit) {
        return obvious(room, position) || Solver.solve(room, position, limit).verdict() == Solver.Verdict.UNSOLVABLE;
    }
}

package dev.densify.env.gridworld;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Breadth-first search over (position, keys held) for a shortest way to the goal. Opened doors need no place in the
 * search state: with its key held, a closed door costs one step like an open one.
 */
final class Solver {
    private Solver() {
    }

    /** A shortest sequence of moves from the cell with the keys to the goal, or empty when there is none. */
    static Optional<List<Move>> solve(Layout layout, int start, int keys) {
        int cells = layout.cellCount();
        int states = cells << layout.letters();
        int[] parent = new int[states];
        Arrays.fill(parent, -1);
        byte[] moveIn = new byte[states];
        int[] queue = new int[states];
        int first = keys * cells + start;
        if (start == layout.goal()) {
            return Optional.of(List.of());
        }
        parent[first] = first;
        int head = 0;
        int tail = 0;
        queue[tail++] = first;
        Move[] moves = Move.values();
        while (head < tail) {
            int state = queue[head++];
            int pos = state % cells;
            int held = state / cells;
            for (Move move : moves) {
                int next = layout.neighbour(pos, move);
                if (!layout.enterable(next, held)) {
                    continue;
                }
                int nextState = layout.keysAfterEntering(next, held) * cells + next;
                if (parent[nextState] >= 0) {
                    continue;
                }
                parent[nextState] = state;
                moveIn[nextState] = (byte) move.ordinal();
                if (next == layout.goal()) {
                    return Optional.of(path(first, nextState, parent, moveIn, moves));
                }
                queue[tail++] = nextState;
            }
        }
        return Optional.empty();
    }

    private static List<Move> path(int first, int last, int[] parent, byte[] moveIn, Move[] moves) {
        List<Move> path = new ArrayList<>();
        for (int state = last; state != first; state = parent[state]) {
            path.add(moves[moveIn[state]]);
        }
        Collections.reverse(path);
        return path;
    }
}

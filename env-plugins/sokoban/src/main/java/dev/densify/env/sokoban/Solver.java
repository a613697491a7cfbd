package dev.densify.env.sokoban;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Breadth-first search over positions (boxes and player) for a shortest sequence of moves that puts every box on a
 * goal. Pushes onto dead squares are pruned, which never loses a solution. The search stops after a number of
 * positions, so that it always ends quickly; exhausting the positions before that proves the room unsolvable.
 */
final class Solver {
    /** Positions searched before giving up: rooms of the default sizes have far fewer. */
    static final int DEFAULT_LIMIT = 300_000;

    /** What the search found. */
    enum Verdict { SOLVED, UNSOLVABLE, UNKNOWN }

    /** The verdict and, when solved, a shortest solution. */
    record Result(Verdict verdict, List<Move> moves) {
        boolean solved() {
            return verdict == Verdict.SOLVED;
        }
    }

    private Solver() {
    }

    static Result solve(Room room, long start) {
        return solve(room, start, DEFAULT_LIMIT);
    }

    static Result solve(Room room, long start, int limit) {
        if (room.solved(start)) {
            return new Result(Verdict.SOLVED, List.of());
        }
        if (DeadEnds.obvious(room, start)) {
            return new Result(Verdict.UNSOLVABLE, List.of());
        }
        Visited visited = new Visited();
        visited.put(start, -1L);
        long[] queue = new long[64];
        int head = 0;
        int tail = 0;
        queue[tail++] = start;
        Move[] moves = Move.values();
        long dead = room.deadSquareMask();
        while (head < tail) {
            long position = queue[head++];
            long boxes = Room.boxes(position);
            int player = room.player(position);
            for (Move move : moves) {
                int next = room.neighbour(player, move);
                if (room.isWall(next)) {
                    continue;
                }
                long nextBoxes = boxes;
                long box = room.bit(next);
                if ((boxes & box) != 0) {
                    int beyond = room.neighbour(next, move);
                    long target = room.bit(beyond);
                    if (room.isWall(beyond) || (boxes & target) != 0 || (dead & target) != 0) {
                        continue;
                    }
                    nextBoxes = boxes & ~box | target;
                }
                long nextPosition = room.position(nextBoxes, next);
                if (visited.contains(nextPosition)) {
                    continue;
                }
                visited.put(nextPosition, position | (long) move.ordinal() << 62);
                if (nextBoxes == room.goals()) {
                    return new Result(Verdict.SOLVED, path(visited, nextPosition, moves));
                }
                if (visited.size() >= limit) {
                    return new Result(Verdict.UNKNOWN, List.of());
                }
                if (tail == queue.length) {
                    queue = Arrays.copyOf(queue, queue.length * 2);
                }
                queue[tail++] = nextPosition;
            }
        }
        return new Result(Verdict.UNSOLVABLE, List.of());
    }

    private static List<Move> path(Visited visited, long last, Move[] moves) {
        List<Move> path = new ArrayList<>();
        for (long entry = visited.get(last); entry != -1L; entry = visited.get(entry & ~(3L << 62))) {
            path.add(moves[(int) (entry >>> 62)]);
        }
        Collections.reverse(path);
        return path;
    }

    /** An open-addressing map from position to its parent and move, without boxing a long per position. */
    private static final class Visited {
        private long[] keys = new long[1 << 10];
        private long[] values = new long[1 << 10];
        private int size;

        int size() {
            return size;
        }

        // Positions are never 0 (a room has a box), so 0 marks an empty slot.
        void put(long key, long value) {
            if (2 * (size + 1) > keys.length) {
                grow();
            }
            int slot = find(keys, key);
            if (keys[slot] == 0) {
                size++;
            }
            keys[slot] = key;
            values[slot] = value;
        }

        boolean contains(long key) {
            return keys[find(keys, key)] != 0;
        }

        long get(long key) {
            return values[find(keys, key)];
        }

        private static int find(long[] keys, long key) {
            int mask = keys.length - 1;
            int slot = (int) (mix(key) & mask);
            while (keys[slot] != 0 && keys[slot] != key) {
                slot = (slot + 1) & mask;
            }
            return slot;
        }

        private static long mix(long key) {
            long z = key * 0x9E3779B97F4A7C15L;
            return z ^ (z >>> 29);
        }

        private void grow() {
            long[] oldKeys = keys;
            long[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            values = new long[oldValues.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    int slot = find(keys, oldKeys[i]);
                    keys[slot] = oldKeys[i];
                    values[slot] = oldValues[i];
                }
            }
        }
    }
}

package dev.densify.env.sokoban;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Makes rooms by reverse play: walls are scattered inside the outer ring (keeping the floor connected), the boxes
 * start on their goals, and the player walks backwards, pulling a box behind it now and then. Every pull is the
 * reverse of a push, so the room is solvable by construction; the solver then confirms it and measures it. Rooms
 * where a box is still on its goal, or that the solver cannot settle quickly, are discarded for another attempt.
 */
final class RoomGenerator {
    /** Attempts per room before concluding that the parameters make no rooms. */
    static final int ATTEMPTS = 200;
    /** How often a reverse step pulls the box behind the player, when there is one. */
    private static final double PULL = 0.8;

    private RoomGenerator() {
    }

    /** The room of a spec with its optimal solution length from the generated start; the same spec, the same room. */
    static Room generate(RoomSpec spec) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Optional<Room> room = attempt(spec, new SplittableRandom(Seeds.mix(spec.roomSeed(), attempt)));
            if (room.isPresent()) {
                return room.get();
            }
        }
        throw new IllegalArgumentException(spec.boxes() + " boxes in a " + spec.size() + "x" + spec.size()
                + " room with wall fraction " + spec.wallFraction() + " gave no solvable room in " + ATTEMPTS
                + " attempts; use fewer boxes, fewer walls or a larger room");
    }

    private static Optional<Room> attempt(RoomSpec spec, SplittableRandom random) {
        int n = spec.size();
        boolean[] wall = new boolean[n * n];
        List<Integer> inner = new ArrayList<>();
        for (int cell = 0; cell < n * n; cell++) {
            int row = cell / n;
            int column = cell % n;
            wall[cell] = row == 0 || column == 0 || row == n - 1 || column == n - 1;
            if (!wall[cell]) {
                inner.add(cell);
            }
        }
        Collections.shuffle(inner, new java.util.Random(random.nextLong()));
        int walls = (int) Math.round(spec.wallFraction() * inner.size());
        List<Integer> floor = new ArrayList<>(inner);
        for (int cell : inner) {
            if (walls == 0) {
                break;
            }
            wall[cell] = true;
            floor.remove(Integer.valueOf(cell));
            if (connected(wall, n, floor)) {
                walls--;
            } else {
                wall[cell] = false;
                floor.add(cell);
            }
        }
        if (floor.size() < spec.boxes() + 2 || floor.size() > Room.MAX_FLOOR) {
            return Optional.empty();
        }
        Collections.sort(floor);
        Collections.shuffle(floor, new java.util.Random(random.nextLong()));
        int[] goals = floor.subList(0, spec.boxes()).stream().mapToInt(Integer::intValue).toArray();
        int player = floor.get(spec.boxes());
        boolean[] box = new boolean[n * n];
        for (int goal : goals) {
            box[goal] = true;
        }
        Move[] moves = Move.values();
        for (int step = 0; step < spec.reverseMoves(); step++) {
            Move move = moves[random.nextInt(moves.length)];
            int delta = move.rows * n + move.columns;
            int next = player + delta;
            if (wall[next] || box[next]) {
                continue;
            }
            int behind = player - delta;
            boolean pull = box[behind] && random.nextDouble() < PULL;
            if (pull) {
                box[behind] = false;
                box[player] = true;
            }
            player = next;
        }
        List<Integer> boxes = new ArrayList<>();
        for (int cell = 0; cell < n * n; cell++) {
            if (box[cell]) {
                boxes.add(cell);
            }
        }
        for (int goal : goals) {
            if (box[goal]) {
                return Optional.empty();
            }
        }
        Room room = new Room(n, wall, goals, boxes.stream().mapToInt(Integer::intValue).toArray(), player);
        return Solver.solve(room, room.start(player)).solved() ? Optional.of(room) : Optional.empty();
    }

    private static boolean connected(boolean[] wall, int n, List<Integer> floor) {
        if (floor.isEmpty()) {
            return false;
        }
        boolean[] seen = new boolean[n * n];
        List<Integer> queue = new ArrayList<>(List.of(floor.get(0)));
        seen[floor.get(0)] = true;
        for (int i = 0; i < queue.size(); i++) {
            int cell = queue.get(i);
            for (int next : new int[] {cell - n, cell + n, cell - 1, cell + 1}) {
                if (!wall[next] && !seen[next]) {
                    seen[next] = true;
                    queue.add(next);
                }
            }
        }
        return queue.size() == floor.size();
    }
}

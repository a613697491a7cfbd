package dev.densify.env.sokoban;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A room: its walls, its goals, its starting boxes and player. Cells are numbered row by row; the floor cells (every
 * cell but a wall) are numbered too, so that a set of boxes is a bit mask of floor numbers and a whole position
 * (boxes and player) fits in one long: the boxes in bits 0 to 55, the player's floor number in bits 56 to 61.
 */
final class Room {
    static final char WALL = '#';
    static final char FLOOR = '_';
    static final char GOAL = '.';
    static final char BOX = '$';
    static final char BOX_ON_GOAL = '*';
    static final char PLAYER = '@';
    static final char PLAYER_ON_GOAL = '+';
    /** Floor cells a room may have: a position's boxes take one bit each below the player's bits. */
    static final int MAX_FLOOR = 56;
    private static final int PLAYER_SHIFT = 56;

    private final int size;
    private final boolean[] wall;
    private final int[] floorOf;
    private final int[] cellOf;
    private final long goals;
    private final long deadSquares;
    private final long startBoxes;
    private final int startPlayer;

    /**
     * @param wall        per cell, whether it is a wall; the outer ring must be walls
     * @param goalCells   the goal cells
     * @param boxCells    the boxes' cells at the start
     * @param startPlayer the player's cell at the start
     */
    Room(int size, boolean[] wall, int[] goalCells, int[] boxCells, int startPlayer) {
        this.size = size;
        this.wall = wall.clone();
        floorOf = new int[size * size];
        Arrays.fill(floorOf, -1);
        List<Integer> cells = new ArrayList<>();
        for (int cell = 0; cell < size * size; cell++) {
            int row = cell / size;
            int column = cell % size;
            if ((row == 0 || column == 0 || row == size - 1 || column == size - 1) && !wall[cell]) {
                throw new IllegalArgumentException("cell " + row + "," + column + " of the outer ring is not a wall");
            }
            if (!wall[cell]) {
                floorOf[cell] = cells.size();
                cells.add(cell);
            }
        }
        if (cells.size() > MAX_FLOOR) {
            throw new IllegalArgumentException(cells.size() + " floor cells; at most " + MAX_FLOOR + " fit a position");
        }
        cellOf = cells.stream().mapToInt(Integer::intValue).toArray();
        goals = mask(goalCells);
        startBoxes = mask(boxCells);
        if (Long.bitCount(goals) != goalCells.length || Long.bitCount(startBoxes) != boxCells.length
                || goalCells.length != boxCells.length || goalCells.length == 0) {
            throw new IllegalArgumentException("a room needs as many distinct goals as boxes, at least one");
        }
        if (wall[startPlayer] || (startBoxes & bit(startPlayer)) != 0) {
            throw new IllegalArgumentException("the player must start on a free floor cell");
        }
        this.startPlayer = startPlayer;
        deadSquares = deadSquares();
    }

    /** Parses a picture in this class's symbols, one row per line (hand-made rooms for tests). */
    static Room parse(String picture) {
        String[] rows = picture.strip().split("\n");
        int size = rows.length;
        boolean[] wall = new boolean[size * size];
        List<Integer> goals = new ArrayList<>();
        List<Integer> boxes = new ArrayList<>();
        int player = -1;
        for (int row = 0; row < size; row++) {
            if (rows[row].length() != size) {
                throw new IllegalArgumentException("row " + row + " is not " + size + " wide: '" + rows[row] + "'");
            }
            for (int column = 0; column < size; column++) {
                int cell = row * size + column;
                char c = rows[row].charAt(column);
                wall[cell] = c == WALL;
                if (c == GOAL || c == BOX_ON_GOAL || c == PLAYER_ON_GOAL) {
                    goals.add(cell);
                }
                if (c == BOX || c == BOX_ON_GOAL) {
                    boxes.add(cell);
                }
                if (c == PLAYER || c == PLAYER_ON_GOAL) {
                    player = cell;
                }
            }
        }
        return new Room(size, wall, goals.stream().mapToInt(Integer::intValue).toArray(),
                boxes.stream().mapToInt(Integer::intValue).toArray(), player);
    }

    int size() {
        return size;
    }

    int boxCount() {
        return Long.bitCount(goals);
    }

    long goals() {
        return goals;
    }

    boolean isWall(int cell) {
        return wall[cell];
    }

    /** The bit of a floor cell in a box mask; 0 for a wall. */
    long bit(int cell) {
        return floorOf[cell] < 0 ? 0 : 1L << floorOf[cell];
    }

    int neighbour(int cell, Move move) {
        return cell + move.rows * size + move.columns;
    }

    /** The start position: the starting boxes with the player at the given cell. */
    long start(int player) {
        return position(startBoxes, player);
    }

    int startPlayer() {
        return startPlayer;
    }

    long position(long boxes, int player) {
        return boxes | (long) floorOf[player] << PLAYER_SHIFT;
    }

    static long boxes(long position) {
        return position & ((1L << PLAYER_SHIFT) - 1);
    }

    int player(long position) {
        return cellOf[(int) (position >>> PLAYER_SHIFT)];
    }

    boolean solved(long position) {
        return boxes(position) == goals;
    }

    int boxesOnGoals(long position) {
        return Long.bitCount(boxes(position) & goals);
    }

    /** Floor cells where a box can never reach any goal, even alone in the room: a box there is a dead end. */
    long deadSquareMask() {
        return deadSquares;
    }

    /**
     * A box ends on a goal only through pushes, and a push from c to c+d needs the player at c-d: working back from
     * the goals, a box can come to y from y-d when y-d and y-2d are floor. Cells that no goal reaches that way are
     * dead: a box in a non-goal corner, or along a wall with no goal on it, or anywhere else it is stuck for good.
     */
    private long deadSquares() {
        long live = goals;
        List<Integer> queue = new ArrayList<>();
        for (int cell : cellOf) {
            if ((goals & bit(cell)) != 0) {
                queue.add(cell);
            }
        }
        for (int i = 0; i < queue.size(); i++) {
            int y = queue.get(i);
            for (Move move : Move.values()) {
                int from = y - move.rows * size - move.columns;
                int behind = from - move.rows * size - move.columns;
                if (from >= 0 && behind >= 0 && !wall[from] && !wall[behind] && (live & bit(from)) == 0) {
                    live |= bit(from);
                    queue.add(from);
                }
            }
        }
        long floor = cellOf.length == 64 ? -1L : (1L << cellOf.length) - 1;
        return floor & ~live;
    }

    /** Floor cells the player reaches from {@code player} without pushing a box, in cell order. */
    int[] reachable(long boxes, int player) {
        boolean[] seen = new boolean[size * size];
        List<Integer> queue = new ArrayList<>(List.of(player));
        seen[player] = true;
        for (int i = 0; i < queue.size(); i++) {
            int cell = queue.get(i);
            for (Move move : Move.values()) {
                int next = neighbour(cell, move);
                if (!wall[next] && !seen[next] && (boxes & bit(next)) == 0) {
                    seen[next] = true;
                    queue.add(next);
                }
            }
        }
        return queue.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The picture of a position, one row per line, in this class's symbols. */
    String picture(long position) {
        long boxes = boxes(position);
        int player = player(position);
        StringBuilder text = new StringBuilder(size * (size + 1));
        for (int cell = 0; cell < size * size; cell++) {
            boolean goal = (goals & bit(cell)) != 0;
            char c = wall[cell] ? WALL : cell == player ? (goal ? PLAYER_ON_GOAL : PLAYER)
                    : (boxes & bit(cell)) != 0 ? (goal ? BOX_ON_GOAL : BOX) : goal ? GOAL : FLOOR;
            text.append(c);
            if (cell % size == size - 1 && cell < size * size - 1) {
                text.append('\n');
            }
        }
        return text.toString();
    }

    private long mask(int[] cells) {
        long mask = 0;
        for (int cell : cells) {
            if (cell < 0 || cell >= size * size || wall[cell]) {
                throw new IllegalArgumentException("cell " + cell + " is not a floor cell");
            }
            mask |= bit(cell);
        }
        return mask;
    }
}

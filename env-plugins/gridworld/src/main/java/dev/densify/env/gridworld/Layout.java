package dev.densify.env.gridworld;

import java.util.Arrays;

/**
 * A maze's fixed cells, row by row: walls, floor, the goal, keys (lowercase) and the doors they open (uppercase of
 * the same letter), plus the cells an episode may start from. Immutable, so episodes and forks share it.
 */
final class Layout {
    static final char WALL = '#';
    static final char FLOOR = '.';
    static final char GOAL = 'G';
    static final char AGENT = '@';
    /** Keys and doors use the letters a to f, which keeps G for the goal. */
    static final int LETTERS = 6;

    private final int size;
    private final char[] cells;
    private final int[] starts;
    private final int goal;
    private final int letters;

    /**
     * @param cells  {@code size * size} cells, row by row, with a wall all around
     * @param starts floor cells an episode may start from, the canonical one first
     */
    Layout(int size, char[] cells, int[] starts) {
        if (cells.length != size * size || starts.length == 0) {
            throw new IllegalArgumentException("a layout needs " + size * size + " cells and a start");
        }
        this.size = size;
        this.cells = cells.clone();
        this.starts = starts.clone();
        int goalAt = -1;
        int highest = -1;
        for (int pos = 0; pos < cells.length; pos++) {
            char c = cells[pos];
            boolean border = pos < size || pos >= size * (size - 1) || pos % size == 0 || pos % size == size - 1;
            if (border && c != WALL) {
                throw new IllegalArgumentException("the outer wall is open at row " + pos / size + " column "
                        + pos % size);
            }
            if (c == GOAL) {
                goalAt = pos;
            } else if (isKey(c) || isDoor(c)) {
                highest = Math.max(highest, letter(c));
            }
        }
        if (goalAt < 0) {
            throw new IllegalArgumentException("a layout needs a goal " + GOAL);
        }
        this.goal = goalAt;
        this.letters = highest + 1;
    }

    static boolean isKey(char c) {
        return c >= 'a' && c < 'a' + LETTERS;
    }

    static boolean isDoor(char c) {
        return c >= 'A' && c < 'A' + LETTERS;
    }

    /** 0 for a and A, 1 for b and B, and so on. */
    static int letter(char c) {
        return Character.toLowerCase(c) - 'a';
    }

    /** The bit of a key or door in a set of keys or doors. */
    static int bit(char c) {
        return 1 << letter(c);
    }

    int size() {
        return size;
    }

    int cellCount() {
        return cells.length;
    }

    char at(int pos) {
        return cells[pos];
    }

    int goal() {
        return goal;
    }

    /** How many letters keys and doors use: sets of keys are below {@code 1 << letters()}. */
    int letters() {
        return letters;
    }

    int[] starts() {
        return starts.clone();
    }

    int canonicalStart() {
        return starts[0];
    }

    /** The cell a move leads to; the outer wall keeps it inside. */
    int neighbour(int pos, Move move) {
        return pos + move.rows * size + move.columns;
    }

    /** Whether the agent holding {@code keys} can enter the cell: not a wall, and not a door without its key. */
    boolean enterable(int pos, int keys) {
        char c = cells[pos];
        return c != WALL && !(isDoor(c) && (keys & bit(c)) == 0);
    }

    /** The keys held after entering the cell. */
    int keysAfterEntering(int pos, int keys) {
        char c = cells[pos];
        return isKey(c) ? keys | bit(c) : keys;
    }

    /** The cells as text, one row per line, identifying the layout apart from where episodes start. */
    String picture() {
        StringBuilder text = new StringBuilder(cells.length + size);
        for (int row = 0; row < size; row++) {
            text.append(cells, row * size, size).append('\n');
        }
        return text.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Layout l && size == l.size && Arrays.equals(cells, l.cells)
                && Arrays.equals(starts, l.starts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(cells) + Arrays.hashCode(starts);
    }

    @Override
    public String toString() {
        return picture();
    }
}

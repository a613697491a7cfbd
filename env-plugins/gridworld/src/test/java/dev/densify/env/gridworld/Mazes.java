package dev.densify.env.gridworld;

/** Hand-made layouts for tests, drawn as the observation shows them, with @ marking the start. */
final class Mazes {
    /** A key off the way, a door across it, the goal beyond a wall: the view tests' maze. */
    static final Layout KEY_AND_DOOR = parse(
            "#######",
            "#a#...#",
            "#.#.#.#",
            "#@..#A#",
            "#####.#",
            "#G....#",
            "#######");

    private Mazes() {
    }

    static Layout parse(String... rows) {
        int size = rows.length;
        char[] cells = new char[size * size];
        int start = -1;
        for (int row = 0; row < size; row++) {
            if (rows[row].length() != size) {
                throw new IllegalArgumentException("row " + row + " is not " + size + " wide: " + rows[row]);
            }
            for (int column = 0; column < size; column++) {
                char c = rows[row].charAt(column);
                if (c == Layout.AGENT) {
                    start = row * size + column;
                    c = Layout.FLOOR;
                }
                cells[row * size + column] = c;
            }
        }
        return new Layout(size, cells, new int[] {start});
    }

    /** The cell at a row and column of the layout. */
    static int at(Layout layout, int row, int column) {
        return row * layout.size() + column;
    }
}

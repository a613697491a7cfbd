package dev.densify.env.sokoban;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The four moves, named by the words the agent writes. */
enum Move {
    UP("up", -1, 0),
    DOWN("down", 1, 0),
    LEFT("left", 0, -1),
    RIGHT("right", 0, 1);

    static final List<String> WORDS = List.of("up", "down", "left", "right");

    final String word;
    final int rows;
    final int columns;

    Move(String word, int rows, int columns) {
        this.word = word;
        this.rows = rows;
        this.columns = columns;
    }

    /** The move the text names, ignoring case and surrounding space, as a language model writes it. */
    static Optional<Move> parse(String text) {
        String word = text.strip().toLowerCase(Locale.ROOT);
        for (Move move : values()) {
            if (move.word.equals(word)) {
                return Optional.of(move);
            }
        }
        return Optional.empty();
    }
}

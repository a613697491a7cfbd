package dev.densify.env.process;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command written as one string into its words, the way a POSIX shell splits words and nothing more:
 * blanks separate words; single quotes keep everything up to the next single quote literally; double quotes keep
 * blanks and single quotes, and there a backslash escapes only {@code "} and {@code \}; elsewhere a backslash
 * escapes the next character. No variables, globs, pipes or redirections: the words go to the operating system as
 * they are (wrap the command in {@code sh -c '...'} for those).
 */
final class CommandLine {
    private CommandLine() {}

    /** The words of {@code line}; throws IllegalArgumentException on an unclosed quote or a trailing backslash. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'') {
                int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("a single quote at character " + (i + 1) + " is not closed");
                }
                word.append(line, i + 1, end);
                i = end;
                inWord = true;
            } else if (c == '"') {
                int j = i + 1;
                while (j < line.length() && line.charAt(j) != '"') {
                    char d = line.charAt(j);
                    if (d == '\\' && j + 1 < line.length() && (line.charAt(j + 1) == '"' || line.charAt(j + 1) == '\\')) {
                        j++;
                        d = line.charAt(j);
                    }
                    word.append(d);
                    j++;
                }
                if (j >= line.length()) {
                    throw new IllegalArgumentException("a double quote at character " + (i + 1) + " is not closed");
                }
                i = j;
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new IllegalArgumentException("the command ends in a backslash");
                }
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }
}

package dev.densify.env.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void splitsLikeAShellSplitsWords() {
        assertEquals(List.of("python3", "env.py"), CommandLine.split("  python3   env.py "));
        assertEquals(List.of("a b", "c'd", "e\"f", "g h", ""), CommandLine.split("'a b' \"c'd\" e\\\"f g\\ h ''"));
        assertEquals(List.of("x\\y", "$HOME", "*.py"), CommandLine.split("\"x\\y\" $HOME *.py"));
    }

    @Test
    void unclosedQuotesAndATrailingBackslashAreRefused() {
        assertEquals("a double quote at character 3 is not closed",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.split("a \"b")).getMessage());
        assertEquals("the command ends in a backslash",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.split("a\\")).getMessage());
    }

    /** Any words, each single-quoted the POSIX way, split back into themselves. */
    @Test
    void quotedWordsSplitBackIntoThemselves() {
        qt().withFixedSeed(7L).forAll(lists().of(strings().ascii().ofLengthBetween(0, 8)).ofSizeBetween(1, 5))
                .checkAssert(words -> assertEquals(words, CommandLine.split(words.stream()
                        .map(w -> "'" + w.replace("'", "'\\''") + "'").collect(Collectors.joining(" ")))));
    }
}

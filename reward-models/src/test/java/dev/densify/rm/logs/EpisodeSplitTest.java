package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EpisodeSplitTest {
    private static List<LogRecord> records(int episodes, long seed) {
        java.util.Random random = new java.util.Random(seed);
        List<LogRecord> out = new ArrayList<>();
        for (int e = 0; e < episodes; e++) {
            int steps = 1 + random.nextInt(5);
            for (int t = 0; t < steps; t++) {
                // two sources reuse the same episode ids: they are different episodes
                out.add(new LogRecord("s", "a", t, true, "", "e" + e / 2, t, "", "src" + e % 2, "f:" + out.size()));
            }
        }
        return out;
    }

    private static Set<String> episodes(List<LogRecord> records) {
        Set<String> out = new HashSet<>();
        records.forEach(r -> out.add(r.episodeKey()));
        return out;
    }

    @Test
    void noEpisodeSitsOnTwoSidesAndEveryRecordIsSomewhere() {
        qt().withExamples(200).forAll(integers().between(3, 60), longs().all(), longs().all())
                .checkAssert((n, data, seed) -> {
                    List<LogRecord> records = records(n, data);
                    EpisodeSplit split = EpisodeSplit.of(records, 0.15, 0.15, seed);
                    Set<String> train = episodes(split.train());
                    Set<String> validation = episodes(split.validation());
                    Set<String> test = episodes(split.test());
                    for (String e : validation) {
                        assertFalse(train.contains(e) || test.contains(e), e);
                    }
                    for (String e : test) {
                        assertFalse(train.contains(e), e);
                    }
                    assertEquals(records.size(), split.train().size() + split.validation().size() + split.test().size());
                    assertFalse(split.train().isEmpty() || split.validation().isEmpty() || split.test().isEmpty());
                    assertEquals(split, EpisodeSplit.of(records, 0.15, 0.15, seed), "the seed decides");
                    List<LogRecord> reversed = new ArrayList<>(records);
                    java.util.Collections.reverse(reversed);
                    assertEquals(episodes(split.test()), episodes(EpisodeSplit.of(reversed, 0.15, 0.15, seed).test()),
                            "the file order does not");
                });
    }

    @Test
    void tooFewEpisodesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> EpisodeSplit.of(records(2, 0), 0.15, 0.15, 0));
    }
}

package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReturnsTest {
    /** Records of two interleaved episodes, logged with their steps out of order. */
    private static List<LogRecord> records(List<Integer> rewards, List<Boolean> observed) {
        List<LogRecord> out = new ArrayList<>();
        int n = rewards.size();
        for (int i = 0; i < n; i++) {
            long step = (i * 7L) % n; // a permutation when n and 7 are coprime, else repeats (kept in file order)
            out.add(new LogRecord("s" + i, "a", rewards.get(i), observed.get(i % observed.size()), "", "e" + i % 2,
                    step, "", LogRecord.DEFAULT_SOURCE, "f:" + i));
        }
        return out;
    }

    @Test
    void eachReturnIsItsRewardPlusTheDiscountedNextReturn() {
        qt().withExamples(300).forAll(lists().of(integers().between(-5, 5)).ofSizeBetween(1, 20),
                        doubles().between(0, 1), lists().of(integers().between(0, 3).map(i -> i > 0)).ofSizeBetween(1, 5))
                .checkAssert((rewards, gamma, observed) -> {
                    List<LogRecord> records = records(rewards, observed);
                    List<LogRecord> returns = Returns.toGo(records, gamma);
                    for (String episode : List.of("e0", "e1")) {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < records.size(); i++) {
                            if (records.get(i).episodeId().equals(episode)) {
                                order.add(i);
                            }
                        }
                        order.sort(java.util.Comparator.comparingLong(i -> records.get(i).step()));
                        double next = 0;
                        boolean tailObserved = true;
                        for (int k = order.size() - 1; k >= 0; k--) {
                            LogRecord r = records.get(order.get(k));
                            LogRecord g = returns.get(order.get(k));
                            assertEquals(r.reward() + gamma * next, g.reward(), 1e-9);
                            tailObserved &= r.rewardObserved();
                            assertEquals(tailObserved, g.rewardObserved());
                            assertEquals(r.origin(), g.origin());
                            next = g.reward();
                        }
                    }
                });
    }

    @Test
    void withoutDiscountTheFirstReturnIsTheEpisodesSum() {
        List<LogRecord> records = records(List.of(1, 2, 3, 4, 5, 6), List.of(true));
        List<LogRecord> returns = Returns.toGo(records, 1.0);
        // episode e0 holds rewards 1, 3, 5 at steps 0, 2, 4
        assertEquals(9, returns.get(0).reward(), 1e-12);
    }
}

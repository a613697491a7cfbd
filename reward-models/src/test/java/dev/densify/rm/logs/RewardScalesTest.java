package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class RewardScalesTest {
    private static final Gen<RewardScales.Method> METHODS = integers().between(0, 2)
            .map(i -> RewardScales.Method.values()[i]);

    private static List<LogRecord> records(List<Double> rewards) {
        List<LogRecord> out = new ArrayList<>();
        for (int i = 0; i < rewards.size(); i++) {
            String source = "s" + (i % 3);
            out.add(new LogRecord("x", "y", rewards.get(i), true, "", "e" + i, 0, "", source, "t:" + i));
        }
        return out;
    }

    @Test
    void predictionsMapBackToEachSourcesScale() {
        qt().withExamples(300).forAll(lists().of(doubles().between(-1e4, 1e4)).ofSizeBetween(1, 30), METHODS,
                        doubles().between(-1e4, 1e4))
                .checkAssert((rewards, method, anyReward) -> {
                    for (boolean perSource : new boolean[] {true, false}) {
                        RewardScales scales = RewardScales.fit(method, perSource, records(rewards));
                        for (String source : List.of("s0", "s1", "s2", "unseen")) {
                            double back = scales.restore(source, scales.normalise(source, anyReward));
                            assertEquals(anyReward, back, 1e-9 * Math.max(1, Math.abs(anyReward)));
                        }
                    }
                });
    }

    @Test
    void zScoreAndMinMaxNormaliseEachSourceOnItsOwn() {
        qt().withExamples(200).forAll(lists().of(doubles().between(-100, 100)).ofSizeBetween(6, 30))
                .checkAssert(rewards -> {
                    List<LogRecord> records = records(rewards);
                    RewardScales z = RewardScales.fit(RewardScales.Method.ZSCORE, true, records);
                    RewardScales m = RewardScales.fit(RewardScales.Method.MINMAX, true, records);
                    for (String source : List.of("s0", "s1", "s2")) {
                        double[] zs = records.stream().filter(r -> r.source().equals(source))
                                .mapToDouble(r -> z.normalise(source, r.reward())).toArray();
                        double[] ms = records.stream().filter(r -> r.source().equals(source))
                                .mapToDouble(r -> m.normalise(source, r.reward())).toArray();
                        double mean = java.util.Arrays.stream(zs).average().orElseThrow();
                        assertEquals(0, mean, 1e-9);
                        double spread = java.util.Arrays.stream(zs).map(v -> v * v).average().orElseThrow();
                        assertTrue(Math.abs(spread - 1) < 1e-9 || spread < 1e-12, "variance " + spread);
                        for (double v : ms) {
                            assertTrue(v >= -1e-12 && v <= 1 + 1e-12, "min-max " + v);
                        }
                    }
                });
    }

    @Test
    void noneLeavesRewardsAsLogged() {
        RewardScales none = RewardScales.fit(RewardScales.Method.NONE, true, records(List.of(3.0, 5.0, 8.0)));
        assertEquals(5.0, none.normalise("s1", 5.0));
        assertEquals(RewardScales.Scale.IDENTITY, none.scaleOf("s0"));
    }
}

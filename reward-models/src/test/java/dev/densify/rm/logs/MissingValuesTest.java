package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import org.junit.jupiter.api.Test;

class MissingValuesTest {
    /** A record whose fields are present or missing by the bits of {@code mask}, reward and source from {@code k}. */
    private static RawRecord record(int index, int mask, int k) {
        EnumMap<LogField, String> text = new EnumMap<>(LogField.class);
        LogField[] fields = LogField.values();
        Double reward = null;
        Long step = null;
        for (int f = 0; f < fields.length; f++) {
            if ((mask & (1 << f)) == 0) {
                continue;
            }
            switch (fields[f]) {
                case REWARD -> reward = (double) (k % 5);
                case STEP -> step = (long) index;
                case SOURCE -> text.put(LogField.SOURCE, "src" + (k % 2));
                case EPISODE_ID -> text.put(LogField.EPISODE_ID, "e" + (k % 3));
                default -> text.put(fields[f], fields[f].key() + index);
            }
        }
        return RawRecord.of("log:" + (index + 1), text, reward, step);
    }

    private static List<RawRecord> records(List<Integer> masks) {
        List<RawRecord> out = new ArrayList<>();
        for (int i = 0; i < masks.size(); i++) {
            out.add(record(i, masks.get(i), masks.get(i) * 7 + i));
        }
        return out;
    }

    @Test
    void countsEveryMissingValueAndDropsExactlyTheIncompleteRecords() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(0, 40))
                .checkAssert(masks -> {
                    List<RawRecord> raw = records(masks);
                    MissingValues.Result drop = MissingValues.apply(raw, MissingValues.Policy.DROP);
                    for (LogField f : LogField.values()) {
                        long expected = raw.stream().filter(r -> r.missing().contains(f)).count();
                        assertEquals(expected, drop.report().missing(f), f.key());
                    }
                    long complete = raw.stream().filter(r -> r.missing().stream().noneMatch(LogField::required)).count();
                    assertEquals(complete, drop.records().size());
                    assertEquals(raw.size() - complete, drop.report().dropped());
                    assertEquals(raw.size(), drop.report().records());
                    assertTrue(drop.records().stream().allMatch(LogRecord::rewardObserved));
                });
    }

    @Test
    void imputationKeepsEveryRecordWithTheSourcesMeanRewardAndMarksIt() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 255)).ofSizeBetween(1, 40))
                .assuming(masks -> records(masks).stream().anyMatch(r -> r.reward().isPresent()))
                .checkAssert(masks -> {
                    List<RawRecord> raw = records(masks);
                    MissingValues.Result imputed = MissingValues.apply(raw, MissingValues.Policy.IMPUTE);
                    assertEquals(raw.size(), imputed.records().size());
                    assertEquals(0, imputed.report().dropped());
                    for (int i = 0; i < raw.size(); i++) {
                        RawRecord r = raw.get(i);
                        LogRecord out = imputed.records().get(i);
                        assertEquals(r.reward().isPresent(), out.rewardObserved());
                        assertEquals(r.get(LogField.STATE).orElse(""), out.state());
                        assertEquals(r.get(LogField.EPISODE_ID).orElse(r.origin()), out.episodeId());
                        if (r.reward().isEmpty()) {
                            String source = out.source();
                            double[] same = raw.stream().filter(x -> x.reward().isPresent()
                                    && x.get(LogField.SOURCE).orElse(LogRecord.DEFAULT_SOURCE).equals(source))
                                    .mapToDouble(x -> x.reward().getAsDouble()).toArray();
                            double[] all = raw.stream().filter(x -> x.reward().isPresent())
                                    .mapToDouble(x -> x.reward().getAsDouble()).toArray();
                            double expected = java.util.Arrays.stream(same.length > 0 ? same : all).average()
                                    .orElseThrow();
                            assertEquals(expected, out.reward(), 1e-12);
                            assertEquals(expected, imputed.report().imputedRewards().get(source), 1e-12);
                        }
                    }
                });
    }

    @Test
    void aMissingStepIsThePositionWithinTheEpisode() {
        EnumMap<LogField, String> text = new EnumMap<>(LogField.class);
        text.put(LogField.STATE, "s");
        text.put(LogField.ACTION, "a");
        text.put(LogField.EPISODE_ID, "e");
        List<RawRecord> raw = List.of(RawRecord.of("f:1", text, 1.0, null), RawRecord.of("f:2", text, 2.0, null),
                RawRecord.of("f:3", text, 3.0, null));
        List<LogRecord> out = MissingValues.apply(raw, MissingValues.Policy.DROP).records();
        assertEquals(List.of(0L, 1L, 2L), out.stream().map(LogRecord::step).toList());
        assertFalse(out.stream().anyMatch(r -> !r.source().equals(LogRecord.DEFAULT_SOURCE)));
    }
}

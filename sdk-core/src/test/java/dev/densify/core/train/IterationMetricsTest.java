package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.core.train.PhaseTimes.Phase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A metrics line is the record written out: it reads back to the same record and to the same text. */
class IterationMetricsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SOURCE = Path.of("src/main/java/dev/densify/core/train/IterationMetrics.java");
    private static final Path DOC = Path.of("../docs/metrics.md");
    private static final String TABLE_START = "<!-- table generated from IterationMetrics by IterationMetricsTest -->";
    private static final String TABLE_END = "<!-- end of generated table -->";

    @Test
    void aLineReadsBackAsTheRecordThatWroteIt() {
        qt().forAll(longs().all()).checkAssert(seed -> {
            IterationMetrics m = random(seed, false);
            assertEquals(m, IterationMetrics.fromMap(throughJson(m.toMap())));
        });
    }

    @Test
    void aLineWrittenFromWhatWasReadIsTheSameText() {
        // remote collection's figures are kept as JSON gives them, so the text is what survives every value
        qt().forAll(longs().all()).checkAssert(seed -> {
            String line = text(random(seed, true).toMap());
            assertEquals(line, text(IterationMetrics.fromMap(read(line)).toMap()));
        });
    }

    @Test
    void aRunFolderHandsBackTheLinesItWasGiven(@TempDir Path dir) {
        RunFolder run = RunFolder.fresh(dir.resolve("run"));
        List<IterationMetrics> written = List.of(random(1, false), random(2, false), random(3, false));
        written.forEach(m -> run.appendMetrics(m.toMap()));
        assertEquals(written, run.readIterationMetrics());
        assertEquals(written.stream().map(IterationMetrics::toMap).map(IterationMetricsTest::text).toList(),
                run.readMetrics().stream().map(IterationMetricsTest::text).toList());
    }

    @Test
    void aLineOfAnEarlierVersionReadsWhatItHasAndNaNOrNothingForTheRest() {
        IterationMetrics m = IterationMetrics.fromMap(Map.of("iteration", 4, "train_success", 0.5,
                "heldout_success", 0.25, "buffer_length", 7));
        assertEquals(4, m.iteration());
        assertEquals(0.5, m.train().success());
        assertTrue(Double.isNaN(m.critic().nextBatchEv()));
        assertEquals(Optional.of(0.25), m.heldOut().map(IterationMetrics.Outcomes::success));
        assertTrue(Double.isNaN(m.heldOut().orElseThrow().low()));
        assertFalse(m.forks().isPresent());
        assertEquals(Map.of("buffer_length", 7), m.collection());
        assertTrue(Double.isNaN(m.timing().seconds(Phase.COLLECT)));
    }

    @Test
    void everyKeyOfALineIsDocumentedInTheRecordAndInDocsMetricsMd() throws IOException {
        Map<String, String> documented = documentedKeys();
        IterationMetrics sample = random(7, false);
        assertTrue(sample.forks().isPresent() && sample.heldOut().isPresent());
        List<String> written = new ArrayList<>(sample.toMap().keySet());
        written.removeAll(sample.collection().keySet());
        assertEquals(written.size(), Set.copyOf(written).size(), "no key is written twice: " + written);
        assertEquals(new TreeSet<>(documented.keySet()), new TreeSet<>(written),
                "the keys a line holds (with forks and a held-out evaluation) are the ones the javadoc names");
        StringBuilder table = new StringBuilder("| key | meaning |\n|---|---|\n");
        for (String key : written) {
            table.append("| `").append(key).append("` | ").append(documented.get(key)).append(" |\n");
        }
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        int start = doc.indexOf(TABLE_START);
        int end = doc.indexOf(TABLE_END);
        String actual = start < 0 || end < start ? "" : doc.substring(start + TABLE_START.length(), end).strip();
        if (!actual.equals(table.toString().strip())) {
            Path expected = Path.of("target/metrics-table.md");
            Files.writeString(expected, TABLE_START + "\n" + table + TABLE_END + "\n", StandardCharsets.UTF_8);
            fail(DOC + " does not list the keys of IterationMetrics' javadoc in the line's order; the table it should"
                    + " hold is in " + expected.toAbsolutePath());
        }
    }

    /** Each key the record's javadoc names ({@code @param name {@code key} meaning}), with its meaning. */
    private static Map<String, String> documentedKeys() throws IOException {
        String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
        Map<String, String> keys = new LinkedHashMap<>();
        Matcher comment = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL).matcher(source);
        while (comment.find()) {
            String text = comment.group(1).replaceAll("(?m)^\\s*\\* ?", " ").replaceAll("\\s+", " ");
            Matcher param = Pattern.compile("@param \\w+ \\{@code ([a-z_<>]+)\\} (.*?)(?= @param |$)").matcher(text);
            while (param.find()) {
                String key = param.group(1);
                String meaning = param.group(2).strip().replaceAll("\\{@(?:code|link) ([^}]+)\\}", "`$1`");
                List<String> expanded = new ArrayList<>();
                if (key.contains("<set>")) {
                    List.of("train", "heldout").forEach(set -> expanded.add(key.replace("<set>", set)));
                } else if (key.contains("<kind>")) {
                    List.of("sparse", "dense").forEach(kind -> expanded.add(key.replace("<kind>", kind)));
                } else if (key.contains("<phase>")) {
                    for (Phase phase : Phase.values()) {
                        keys.put(PhaseTimes.key(phase), meaning.replace("<phase>", phase.label()));
                    }
                } else {
                    expanded.add(key);
                }
                expanded.forEach(k -> keys.put(k, meaning));
            }
        }
        return keys;
    }

    private static Map<String, Object> throughJson(Map<String, Object> line) {
        return read(text(line));
    }

    private static String text(Map<String, ?> line) {
        try {
            return JSON.writeValueAsString(line);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(String line) {
        try {
            return JSON.readValue(line, Map.class);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Metrics with every kind of value a line can hold: NaN, infinities, -0, integers as doubles; with
     * {@code anyExtras}, remote figures of any type (longs and doubles too, which JSON does not give back as such).
     */
    static IterationMetrics random(long seed, boolean anyExtras) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Integer> failures = new TreeMap<>();
        for (int k = r.nextInt(3); k > 0; k--) {
            failures.put(List.of("timeout", "crash", "nan").get(r.nextInt(3)), r.nextInt(1, 9));
        }
        Map<String, Object> collection = new LinkedHashMap<>();
        for (int k = r.nextInt(4); k > 0; k--) {
            collection.put("buffer_" + k, switch (r.nextInt(anyExtras ? 5 : 3)) {
                case 0 -> r.nextInt();
                case 1 -> "worker-" + r.nextInt(5);
                case 2 -> List.of("a", "b" + r.nextInt(3));
                case 3 -> r.nextLong(0, 100);
                default -> number(r);
            });
        }
        Map<Phase, Double> phases = new EnumMap<>(Phase.class);
        for (Phase phase : Phase.values()) {
            phases.put(phase, number(r));
        }
        List<Double> byStep = new ArrayList<>();
        for (int k = r.nextInt(5); k > 0; k--) {
            byStep.add(number(r));
        }
        return new IterationMetrics(r.nextInt(1000), r.nextLong(1 << 40), r.nextInt(1001), outcomes(r), number(r),
                number(r), new IterationMetrics.UpdateStats(number(r), number(r), number(r), number(r), number(r),
                        r.nextInt(100), r.nextInt(3)),
                new IterationMetrics.CriticStats(number(r), number(r), number(r), number(r), number(r), r.nextInt(50),
                        byStep, number(r)),
                seed % 2 == 0 || !anyExtras && seed % 3 != 0
                        ? Optional.of(new IterationMetrics.Forks(r.nextInt(500), r.nextLong(50), number(r)))
                        : Optional.empty(),
                number(r), new IterationMetrics.Rewards(stats(r), stats(r), number(r)),
                new IterationMetrics.Throughput(number(r), number(r), number(r)),
                new IterationMetrics.Volume(r.nextInt(1000), r.nextLong(1L << 34), r.nextLong(100_000),
                        r.nextLong(100_000)),
                failures, r.nextInt(64), collection, seed % 5 == 4 ? Optional.empty() : Optional.of(outcomes(r)),
                r.nextBoolean(), new IterationMetrics.Timing(number(r), phases));
    }

    private static IterationMetrics.Outcomes outcomes(SplittableRandom r) {
        return new IterationMetrics.Outcomes(number(r), number(r), number(r), r.nextInt(100), number(r), number(r));
    }

    private static IterationMetrics.RewardStats stats(SplittableRandom r) {
        return new IterationMetrics.RewardStats(number(r), number(r), number(r), number(r));
    }

    private static double number(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> Double.NaN;
            case 1 -> r.nextBoolean() ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 2 -> -0.0;
            case 3 -> r.nextInt(-3, 4);
            case 4 -> r.nextDouble() * Math.pow(10, r.nextInt(-12, 12));
            default -> r.nextDouble(-2, 2);
        };
    }
}

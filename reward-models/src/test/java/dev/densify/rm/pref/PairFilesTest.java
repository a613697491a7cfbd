package dev.densify.rm.pref;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairFilesTest {
    static final String RECORD = """
            {"pair_id": "p1", "target_module": "planner", "task": "t1",
             "positive": {"trajectory_full_context": "ctx a", "module_k_all_rounds": "plan a", "outcome": "success"},
             "negative": {"trajectory_full_context": "ctx b", "module_k_all_rounds": ["r1", "r2"], "outcome": 0}}""";

    @Test
    void readsAJsonArrayAsIs() {
        List<PreferencePair> pairs = PairFiles.parse("[" + RECORD + "]", "pairs.json");
        assertEquals(1, pairs.size());
        PreferencePair p = pairs.get(0);
        assertEquals("p1", p.pairId());
        assertEquals("planner", p.targetModule());
        assertEquals("t1", p.task());
        assertEquals("ctx a", p.positive().trajectoryFullContext());
        assertEquals("success", p.positive().outcome());
        assertEquals("r1\nr2", p.negative().moduleKAllRounds());
        assertEquals(0, p.negative().outcome());
    }

    @Test
    void readsJsonLinesAndWritesWhatItReads(@TempDir Path dir) throws Exception {
        String line = RECORD.replace("\n", " ");
        Path file = dir.resolve("pairs.jsonl");
        Files.writeString(file, line + "\n\n" + line.replace("\"p1\"", "\"p2\"") + "\n");
        List<PreferencePair> pairs = PairFiles.read(file);
        assertEquals(List.of("p1", "p2"), pairs.stream().map(PreferencePair::pairId).toList());
        Path copy = dir.resolve("copy.jsonl");
        PairFiles.writeJsonLines(copy, pairs);
        assertEquals(pairs, PairFiles.read(copy));
        Path array = dir.resolve("copy.json");
        PairFiles.writeJsonArray(array, pairs);
        assertEquals(pairs, PairFiles.read(array));
    }

    @Test
    void everyBadRecordIsNamedWithItsPairAndField() {
        String text = String.join("\n",
                RECORD.replace("\n", " "),
                // repeats p1, lacks task, positive context is a number
                "{\"pair_id\": \"p1\", \"target_module\": \"x\", \"positive\": {\"trajectory_full_context\": 3, "
                        + "\"module_k_all_rounds\": \"a\", \"outcome\": 1}, \"negative\": {\"trajectory_full_context\":"
                        + " \"b\", \"module_k_all_rounds\": \"b\", \"outcome\": 0}}",
                // no pair id, negative missing, positive lacks outcome
                "{\"target_module\": \"x\", \"task\": \"t\", \"positive\": {\"trajectory_full_context\": \"a\", "
                        + "\"module_k_all_rounds\": \"\"}}",
                "[1, 2]",
                "{not json");
        PairFormatException e = assertThrows(PairFormatException.class, () -> PairFiles.parse(text, "bad.jsonl"));
        List<String> problems = e.problems();
        assertTrue(problems.contains("pair 'p1' (record 2): pair_id: 'p1' repeats the id of record 1"), problems.toString());
        assertTrue(problems.contains("pair 'p1' (record 2): task: missing"), problems.toString());
        assertTrue(problems.contains("pair 'p1' (record 2): positive.trajectory_full_context: expected a string, got number 3"),
                problems.toString());
        assertTrue(problems.contains("record 3: pair_id: missing"), problems.toString());
        assertTrue(problems.contains("record 3: positive.module_k_all_rounds: is empty"), problems.toString());
        assertTrue(problems.contains("record 3: positive.outcome: missing"), problems.toString());
        assertTrue(problems.contains("record 3: negative: missing"), problems.toString());
        assertTrue(problems.contains("record 4: expected an object, got array"), problems.toString());
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("line 5: not valid JSON")), problems.toString());
        assertEquals(9, problems.size(), problems.toString());
        assertTrue(e.getMessage().startsWith("bad.jsonl: 9 problems in the preference pairs"), e.getMessage());
    }

    @Test
    void anEmptyFileSaysSo() {
        PairFormatException e = assertThrows(PairFormatException.class, () -> PairFiles.parse("  \n", "empty.json"));
        assertEquals(List.of("empty.json is empty"), e.problems());
        assertThrows(PairFormatException.class, () -> PairFiles.parse("[]", "none.json"));
    }

    @Test
    void theSplitByTaskNeverPutsATaskOnBothSides() {
        List<PreferencePair> pairs = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            PreferencePair.Side side = new PreferencePair.Side("c" + i, "m" + i, Map.of());
            pairs.add(new PreferencePair("p" + i, "executor", "task-" + (i % 7), side, side));
        }
        PairSplit split = PairSplit.byTask(pairs, 0.25, 3);
        assertEquals(2, split.heldOutTasks().size());
        assertEquals(40, split.train().size() + split.heldOut().size());
        split.train().forEach(p -> assertTrue(!split.heldOutTasks().contains(p.task())));
        split.heldOut().forEach(p -> assertTrue(split.heldOutTasks().contains(p.task())));
        assertEquals(split, PairSplit.byTask(pairs, 0.25, 3));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class,
                () -> PairSplit.byTask(pairs.stream().filter(p -> p.task().equals("task-0")).toList(), 0.25, 3));
        assertTrue(one.getMessage().contains("at least 2 tasks"), one.getMessage());
    }
}

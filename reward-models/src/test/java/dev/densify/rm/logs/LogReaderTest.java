package dev.densify.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogReaderTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsJsonLinesWithOptionalFieldsAndStructuredStates() throws Exception {
        Path file = write("a.jsonl", """
                {"state": "s0", "action": "a0", "reward": 1.5, "next_state": "s1", "episode_id": 7, "step": 0, "timestamp": "t0", "source": "bot", "extra": 1}

                {"state": {"room": "hall"}, "action": "a1", "reward": null}
                {"state": "s2", "action": "a2", "reward": true, "step": "3"}
                """);
        List<RawRecord> records = LogReader.read(file);
        assertEquals(3, records.size());
        RawRecord first = records.get(0);
        assertEquals("s0", first.get(LogField.STATE).orElseThrow());
        assertEquals(1.5, first.reward().getAsDouble());
        assertEquals("7", first.get(LogField.EPISODE_ID).orElseThrow());
        assertEquals(Set.of(), first.missing());
        RawRecord second = records.get(1);
        assertEquals("{\"room\":\"hall\"}", second.get(LogField.STATE).orElseThrow());
        assertEquals(Set.of(LogField.REWARD, LogField.NEXT_STATE, LogField.EPISODE_ID, LogField.STEP,
                LogField.TIMESTAMP, LogField.SOURCE), second.missing());
        assertEquals(file + ":3", second.origin(), "blank lines count in line numbers");
        assertEquals(1.0, records.get(2).reward().getAsDouble());
        assertEquals(3, records.get(2).step().getAsLong());
    }

    @Test
    void readsCsvWithQuotedCommasQuotesAndNewlines() throws Exception {
        Path file = write("a.csv", """
                episode_id,state,action,reward,step
                e1,"you see a door, and a key","say \"\"hi\"\"",0.5,0
                e1,"line one
                line two",go,NA,1
                e2,s,,-1,
                """);
        List<RawRecord> records = LogReader.read(file);
        assertEquals(3, records.size());
        assertEquals("you see a door, and a key", records.get(0).get(LogField.STATE).orElseThrow());
        assertEquals("say \"hi\"", records.get(0).get(LogField.ACTION).orElseThrow());
        assertEquals("line one\nline two", records.get(1).get(LogField.STATE).orElseThrow());
        assertTrue(records.get(1).reward().isEmpty(), "NA is a missing reward");
        assertTrue(records.get(2).missing().contains(LogField.ACTION), "an empty cell is missing");
        assertTrue(records.get(2).missing().contains(LogField.STEP));
        assertEquals(file + ":2", records.get(0).origin());
        assertEquals(file + ":3", records.get(1).origin());
        assertEquals(file + ":5", records.get(2).origin(), "the record after a two-line field starts on line 5");
    }

    @Test
    void aBadRewardNamesFileLineAndField() throws Exception {
        Path jsonl = write("b.jsonl", "{\"state\":\"s\",\"action\":\"a\",\"reward\":1}\n"
                + "{\"state\":\"s\",\"action\":\"a\",\"reward\":\"lots\"}\n");
        LogFormatException e = assertThrows(LogFormatException.class, () -> LogReader.read(jsonl));
        assertEquals(jsonl + ":2: field reward: expected a number, got 'lots'", e.getMessage());

        Path csv = write("b.csv", "state,action,reward\ns,a,1\ns,a,1e400\n");
        e = assertThrows(LogFormatException.class, () -> LogReader.read(csv));
        assertEquals(csv + ":3: field reward: expected a finite number, got 1e400", e.getMessage());

        Path step = write("c.csv", "state,action,reward,step\ns,a,1,-2\n");
        e = assertThrows(LogFormatException.class, () -> LogReader.read(step));
        assertEquals(step + ":2: field step: expected a non-negative integer, got -2", e.getMessage());
    }

    @Test
    void structuralProblemsAreNamed() throws Exception {
        Path noReward = write("d.csv", "state,action,score\ns,a,1\n");
        assertTrue(assertThrows(LogFormatException.class, () -> LogReader.read(noReward)).getMessage()
                .startsWith(noReward + ":1: no column reward"));
        Path ragged = write("e.csv", "state,action,reward\ns,a,1,extra\n");
        assertEquals(ragged + ":2: the row has 4 fields but the header has 3",
                assertThrows(LogFormatException.class, () -> LogReader.read(ragged)).getMessage());
        Path notObject = write("f.jsonl", "[1, 2]\n");
        assertTrue(assertThrows(LogFormatException.class, () -> LogReader.read(notObject)).getMessage()
                .startsWith(notObject + ":1: expected a JSON object"));
        Path broken = write("g.jsonl", "{\"state\": \n");
        assertTrue(assertThrows(LogFormatException.class, () -> LogReader.read(broken)).getMessage()
                .startsWith(broken + ":1: not a JSON object"));
        Path other = write("h.parquet", "");
        assertTrue(assertThrows(LogFormatException.class, () -> LogReader.read(other)).getMessage()
                .contains("unknown log format"));
        assertTrue(assertThrows(LogFormatException.class, () -> LogReader.read(dir.resolve("none.csv")))
                .getMessage().endsWith("no such log file"));
    }
}

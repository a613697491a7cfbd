package dev.densify.cli.rm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code densify rm logs fit|eval|drift} end to end on log files, with the hashing encoder (no model needed). */
class LogsCommandTest {
    private record Result(int exitCode, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
                Map.of());
        return new Result(code, out.toString(), err.toString());
    }

    /** Reward 1 + noise when the agent holds the key and opens the door, else noise; {@code lampShare} of lamps. */
    private static void writeLogs(Path jsonl, Path csv, long seed, double lampShare) throws Exception {
        Random random = new Random(seed);
        List<String> json = new ArrayList<>();
        List<String> rows = new ArrayList<>(List.of("episode_id,step,state,action,reward,source"));
        for (int e = 0; e < 60; e++) {
            for (int t = 0; t < 5; t++) {
                String item = random.nextDouble() < lampShare ? "lamp" : random.nextBoolean() ? "key" : "coin";
                String action = random.nextBoolean() ? "open the door" : "wait";
                double reward = (item.equals("key") && action.startsWith("open") ? 1 : 0) + 0.1 * random.nextGaussian();
                String state = "you hold a " + item + ", and the door is closed";
                if (e % 2 == 0) {
                    json.add(String.format(java.util.Locale.ROOT, "{\"episode_id\": \"j%d\", \"step\": %d, \"state\": "
                            + "\"%s\", \"action\": \"%s\", \"reward\": %s}", e, t, state, action,
                            t == 4 && e % 10 == 0 ? "null" : Double.toString(reward)));
                } else {
                    // the second source logs rewards on another scale
                    rows.add(String.format(java.util.Locale.ROOT, "c%d,%d,\"%s\",%s,%s,crm", e, t, state, action,
                            Double.toString(10 * reward + 5)));
                }
            }
        }
        Files.write(jsonl, json);
        Files.write(csv, rows);
    }

    @Test
    void fitsEvaluatesAndChecksDriftFromLogFiles(@TempDir Path dir) throws Exception {
        Path jsonl = dir.resolve("train.jsonl");
        Path csv = dir.resolve("train.csv");
        writeLogs(jsonl, csv, 1, 0);
        Path model = dir.resolve("model");
        Result fit = run("rm", "logs", "fit", "--log", jsonl.toString(), "--log", csv.toString(), "--out",
                model.toString(), "logs.encoder.kind=hashing", "logs.encoder.dimension=128", "logs.train.epochs=30");
        assertEquals(0, fit.exitCode(), fit.err() + fit.out());
        assertTrue(fit.out().contains("records    300 read, 294 kept, 6 dropped; missing values (policy drop): reward 6,"), fit.out());
        assertTrue(fit.out().contains("zscore per source (crm: offset"), fit.out());
        assertTrue(fit.out().contains("; default: offset"), fit.out());
        assertTrue(fit.out().matches("(?s).*test       \\d+ records: MSE .* R\\^2 0\\.[89]\\d+ .*"), fit.out());
        assertTrue(Files.isRegularFile(model.resolve("logs-model.json")));
        assertTrue(Files.readString(model.resolve("config.yaml")).contains("kind: hashing"));
        assertTrue(Files.readString(model.resolve("fit-report.json")).contains("\"validationLoss\""));

        Path fresh = dir.resolve("fresh.jsonl");
        Path freshCsv = dir.resolve("fresh.csv");
        writeLogs(fresh, freshCsv, 2, 0);
        Result eval = run("rm", "logs", "eval", "--model", model.toString(), "--log", freshCsv.toString());
        assertEquals(0, eval.exitCode(), eval.err());
        assertTrue(eval.out().contains("logs       150 records"), eval.out());

        Result stable = run("rm", "logs", "drift", "--model", model.toString(), "--log", fresh.toString(), "--log",
                freshCsv.toString());
        assertEquals(0, stable.exitCode(), stable.err() + stable.out());
        assertTrue(stable.out().contains("verdict    stable"), stable.out());

        Path shifted = dir.resolve("shifted.jsonl");
        writeLogs(shifted, dir.resolve("shifted.csv"), 3, 0.9);
        Result drifted = run("rm", "logs", "drift", "--model", model.toString(), "--log", shifted.toString());
        assertEquals(LogsDriftCommand.DRIFTED, drifted.exitCode(), drifted.err() + drifted.out());
        assertTrue(drifted.out().contains("verdict    drifted"), drifted.out());
    }

    @Test
    void badInputIsNamed(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "state,action,reward\ns,a,high\n");
        Result r = run("rm", "logs", "fit", "--log", bad.toString(), "logs.encoder.kind=hashing");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains(bad + ":2: field reward: expected a number, got 'high'"), r.err());
        Result key = run("rm", "logs", "fit", "--log", bad.toString(), "logs.train.epoch=3");
        assertEquals(2, key.exitCode());
        assertTrue(key.err().contains("logs.train.epoch"), key.err());
        Result value = run("rm", "logs", "fit", "--log", bad.toString(), "logs.missing=guess");
        assertEquals(2, value.exitCode());
        assertTrue(value.err().contains("logs.missing") && value.err().contains("[drop, impute]"), value.err());
        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, "{\"state\": \"s\", \"action\": \"a\", \"reward\": 1}\n".repeat(5));
        Result noModel = run("rm", "logs", "fit", "--log", good.toString(), "logs.encoder.checkpoint=nowhere.bin");
        assertEquals(2, noModel.exitCode());
        assertTrue(noModel.err().contains("logs.encoder.checkpoint") && noModel.err().contains("logs.encoder.kind=hashing"),
                noModel.err());
        Result fail = run("rm", "logs", "drift", "--model", dir.toString(), "--log", bad.toString(), "--fail-on", "x");
        assertEquals(2, fail.exitCode());
        assertTrue(fail.err().contains("--fail-on"), fail.err());
    }
}

package dev.densify.cli.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rm commands' answers to bad input: each names the problem and what is allowed. */
class RmCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsItsSubcommands() {
        RmCli.Result result = RmCli.run("rm", "--help");
        assertEquals(0, result.exitCode(), result.toString());
        for (String command : new String[] {"pairs", "train", "eval", "score"}) {
            assertTrue(result.out().contains("\n  " + command + " "), result.toString());
        }
    }

    @Test
    void unknownConfigurationKeysAreRejected() throws Exception {
        Path pairs = Files.writeString(dir.resolve("p.jsonl"), "");
        RmCli.Result result = RmCli.run("rm", "train", "--pairs", pairs.toString(), "--out", dir.resolve("o").toString(),
                "rm.epoch=3");
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("rm.epoch: unknown key; allowed keys are [encoder,"), result.toString());
    }

    @Test
    void aConfigFileIsComposedLikeTheOtherGroupsAndItsValuesChecked() throws Exception {
        Path pairs = Files.writeString(dir.resolve("p.jsonl"), "");
        Path config = Files.writeString(dir.resolve("rm.yaml"), "rm:\n  epochs: 0\n");
        RmCli.Result result = RmCli.run("rm", "train", "--pairs", pairs.toString(), "--out", dir.resolve("o").toString(),
                "--config", config.toString());
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("rm.epochs: 0 is not allowed; expected 1 or more"), result.toString());
        // the override comes after the file and wins; what remains wrong is the empty pairs file
        RmCli.Result fixed = RmCli.run("rm", "train", "--pairs", pairs.toString(), "--out", dir.resolve("o").toString(),
                "--config", config.toString(), "rm.epochs=3");
        assertEquals(2, fixed.exitCode(), fixed.toString());
        assertTrue(fixed.err().contains("p.jsonl is empty"), fixed.toString());
    }

    @Test
    void badPairsNameThePairAndTheField() throws Exception {
        Path pairs = Files.writeString(dir.resolve("p.jsonl"), "{\"pair_id\": \"x7\", \"target_module\": \"planner\", "
                + "\"task\": \"t\", \"positive\": {\"trajectory_full_context\": \"a\", \"module_k_all_rounds\": \"b\"}, "
                + "\"negative\": {\"trajectory_full_context\": \"a\", \"module_k_all_rounds\": \"b\", \"outcome\": 0}}\n");
        RmCli.Result result = RmCli.run("rm", "train", "--pairs", pairs.toString(), "--out", dir.resolve("o").toString(),
                "rm.encoder=" + RmCli.STORIES);
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("pair 'x7' (record 1): positive.outcome: missing"), result.toString());
    }

    @Test
    void anEmptyEncoderSettingSaysWhatToGive() throws Exception {
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            lines.append("{\"pair_id\": \"p").append(i).append("\", \"target_module\": \"planner\", \"task\": \"t")
                    .append(i).append("\", \"positive\": {\"trajectory_full_context\": \"a\", \"module_k_all_rounds\":"
                            + " \"b\", \"outcome\": 1}, \"negative\": {\"trajectory_full_context\": \"c\", "
                            + "\"module_k_all_rounds\": \"d\", \"outcome\": 0}}\n");
        }
        Path pairs = Files.writeString(dir.resolve("p.jsonl"), lines);
        RmCli.Result result = RmCli.run("rm", "train", "--pairs", pairs.toString(), "--out", dir.resolve("o").toString());
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("rm.encoder is empty"), result.toString());
    }

    @Test
    void pairsFromAFolderThatIsNoRunSaySo() {
        RmCli.Result result = RmCli.run("rm", "pairs", dir.toString(), "--out", dir.resolve("p.jsonl").toString());
        assertEquals(2, result.exitCode(), result.toString());
        assertTrue(result.err().contains("is not a run folder with sampled trajectories"), result.toString());
    }
}

package dev.densify.cli.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The proof: a real tiny densify training samples trajectories, {@code rm pairs} turns them into preference
 * pairs (success over failure on the same task), and the preference model trained on them, stage 0 and a short
 * stage 1, ranks the pairs of tasks it never saw: held-out pairwise accuracy clearly above 0.5, its 95% interval
 * excluding 0.5.
 */
class PreferenceFromRunsIT {
    /** Kept under target/ (not a temporary folder) so that the run, the pairs and the report can be looked at. */
    private static final Path DIR = Path.of("target", "preference-from-runs");

    @Test
    void aPreferenceModelTrainedOnPairsFromARealRunBeatsChanceOnHeldOutTasks() throws Exception {
        deleteRecursively(DIR);
        Path dir = Files.createDirectories(DIR);
        Path run = dir.resolve("run");
        // a policy warm-started just enough to succeed on some episodes and fail on others of the same maze
        // (7x7 mazes give enough distinct layouts for a split by task with several tasks on each side; the local
        // view's word prompts and the MLP critic shaping the rewards are the setting this was tuned on)
        RmCli.Result train = RmCli.run("train", "--run-dir", run.toString(), "policy.preset=micro", "env.size=7",
                "env.view=local", "critic=mlp",
                "env.key_door_pairs=0", "env.train_tasks=16", "env.held_out_tasks=2", "env.harder_tasks=0",
                "env.budget_factor=1.5", "trainer.iterations=3", "trainer.episodes_per_iteration=32",
                "trainer.group_size=4", "trainer.sample_trajectories=32", "trainer.eval_every=0",
                "trainer.warm_start_episodes=48", "trainer.warm_start_epochs=12", "trainer.warm_start_lr=0.01",
                "trainer.mini_batch=32");
        assertEquals(0, train.exitCode(), train.toString());

        Path pairs = dir.resolve("pairs.jsonl");
        RmCli.Result built = RmCli.run("rm", "pairs", run.toString(), "--out", pairs.toString());
        assertEquals(0, built.exitCode(), built.toString());
        assertTrue(built.out().contains("target_module executor"), built.toString());
        // two runs hold episodes of the same ids: their pairs must still name each episode apart
        Path twin = dir.resolve("twin");
        Files.createDirectories(twin.resolve("trajectories"));
        try (var files = Files.list(run.resolve("trajectories"))) {
            for (Path f : files.toList()) {
                Files.copy(f, twin.resolve("trajectories").resolve(f.getFileName()));
            }
        }
        Path both = dir.resolve("pairs-of-two-runs.jsonl");
        RmCli.Result twice = RmCli.run("rm", "pairs", run.toString(), twin.toString(), "--out", both.toString());
        assertEquals(0, twice.exitCode(), twice.toString());
        var ids = Files.readAllLines(both).stream().map(l -> {
            try {
                return new ObjectMapper().readTree(l).get("pair_id").asText();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
        assertEquals(ids.size(), ids.stream().distinct().count(), "repeated pair ids across runs");
        assertTrue(ids.stream().anyMatch(id -> id.startsWith("twin/")), ids.toString());

        Path out = dir.resolve("rm");
        RmCli.Result fitted = RmCli.run("rm", "train", "--pairs", pairs.toString(), "--out", out.toString(),
                "rm.encoder=" + RmCli.STORIES, "rm.max_tokens=192", "rm.epochs=20", "rm.head_lr=0.001",
                "rm.finetune_epochs=1");
        assertEquals(0, fitted.exitCode(), fitted.toString());
        JsonNode all = new ObjectMapper().readTree(out.resolve("metrics.json").toFile()).get("all");
        JsonNode accuracy = all.get("pairwise_accuracy");
        String shown = fitted.out() + "\n" + all;
        assertTrue(all.get("pairs").asInt() >= 20, "too few held-out pairs for an interval: " + shown);
        assertTrue(accuracy.get("value").asDouble() > 0.7, shown);
        assertTrue(accuracy.get("low").asDouble() > 0.5, "the interval must exclude chance: " + shown);
        assertTrue(all.get("roc_auc").get("low").asDouble() > 0.5, shown);
        assertTrue(Files.readString(out.resolve("report.html")).contains("pairwise accuracy"));
        assertTrue(Files.size(out.resolve("plots/scores-executor.png")) > 1000);

        // the checkpoint scores again through the other commands
        RmCli.Result scored = RmCli.run("rm", "score", "--model", out.resolve("model").toString(), "--pairs",
                pairs.toString());
        assertEquals(0, scored.exitCode(), scored.toString());
        assertEquals(Files.readAllLines(pairs).size(), scored.out().lines().count());
        RmCli.Result evaluated = RmCli.run("rm", "eval", "--model", out.resolve("model").toString(), "--pairs",
                pairs.toString(), "--bootstrap", "200");
        assertEquals(0, evaluated.exitCode(), evaluated.toString());
        assertTrue(evaluated.out().contains("executor"), evaluated.toString());
        Files.writeString(dir.resolve("summary.txt"), built.out() + fitted.out() + fitted.err());
    }

    private static void deleteRecursively(Path folder) throws java.io.IOException {
        if (Files.exists(folder)) {
            try (var paths = Files.walk(folder)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}

package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.core.train.PassAtK;
import dev.densify.core.train.RunFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged command line end to end: an ablation with the hand-designed {@code task-reward} variant beside
 * {@code sparse} and pass@k on, its trainings and their pass@k in processes of their own, then {@code eval
 * --pass-at-k} of one of its runs, whose base is the shared warm start.
 */
class PassAtKIT {
    /** Tiny: 5x5 mazes without doors, the micro model, TrainingIT's short warm start, one iteration per run. */
    private static final List<String> TINY = List.of("policy.preset=micro", "env.size=5", "env.key_door_pairs=0",
            "env.train_tasks=8", "env.held_out_tasks=3", "env.harder_tasks=0", "env.budget_factor=2.0",
            "trainer.iterations=1", "trainer.episodes_per_iteration=8", "trainer.group_size=4",
            "trainer.eval_every=1", "trainer.eval_episodes=4", "trainer.warm_start_episodes=48",
            "trainer.warm_start_epochs=20", "trainer.warm_start_lr=0.01", "trainer.mini_batch=32",
            "trainer.sample_trajectories=1");

    @Test
    void ablationAndEvalReportPassAtKOfTheBaseAndTheTrainedPolicies(@TempDir Path root) throws Exception {
        Path ablation = root.resolve("ablate");
        String out = densify(TINY, "ablate", "--out", ablation.toString(), "--seeds", "1", "--parallel", "2",
                "--variant", "sparse", "--variant", "task-reward", "--pass-at-k", "1,2", "--pass-at-k-samples", "3");
        assertTrue(out.contains("pass@k on held-out tasks"), out);
        // one seed: the mean of each variant without an interval; the warm start's bootstrap interval over tasks
        assertTrue(out.lines().anyMatch(l -> l.matches("task-reward\\s+\\d\\.\\d{3}\\s+\\d\\.\\d{3}")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("start\\s+\\d\\.\\d{3} \\[.*\\]\\s+\\d\\.\\d{3} \\[.*\\]")), out);

        // the hand-designed reward read gridworld's signals: every step costs, so dense rewards differ from sparse
        List<Map<String, Object>> metrics = new RunFolder(ablation.resolve("task-reward-seed0")).readMetrics();
        double sparse = ((Number) metrics.get(0).get("reward_sparse_mean")).doubleValue();
        double dense = ((Number) metrics.get(0).get("reward_dense_mean")).doubleValue();
        assertTrue(Math.abs(dense - sparse) > 1e-9, "dense " + dense + " vs sparse " + sparse);

        JsonNode json = new ObjectMapper().readTree(ablation.resolve("ablation.json").toFile());
        assertEquals(List.of("1", "2"), names(json.path("start_pass_at_k")));
        for (JsonNode v : json.path("variants")) {
            assertEquals(List.of("1", "2"), names(v.path("pass_at_k")), v.toString());
        }
        assertTrue(Files.readString(ablation.resolve("ablation.html"), StandardCharsets.UTF_8)
                .contains("<table id=\"pass-at-k\">"));

        Path run = ablation.resolve("task-reward-seed0");
        Path file = root.resolve("eval.json");
        String eval = densify(List.of(), "eval", "--checkpoint", run.toString(), "--pass-at-k", "1,2", "--samples",
                "3", "--json", file.toString());
        assertTrue(eval.contains("pass@k on 3 held-out tasks of gridworld, 3 samples each"), eval);
        assertTrue(eval.lines().anyMatch(l -> l.matches("k\\s+base\\s+trained")), eval);
        Map<String, PassAtK.Report> reports = PassAtK.read(file);
        // the same episodes, seeds and weights as the ablation measured: the base is the warm start
        PassAtK.Report warm = PassAtK.read(ablation.resolve("warm-start").resolve("pass_at_k.json")).get("trained");
        PassAtK.Report trained = PassAtK.read(run.resolve("pass_at_k.json")).get("trained");
        assertEquals(warm.estimates(), reports.get("base").estimates());
        assertEquals(trained.estimates(), reports.get("trained").estimates());
        assertEquals(3, reports.get("base").tasks());
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Runs the packaged command line in a new JVM, as a user does; returns its standard output. */
    private static String densify(List<String> overrides, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Xmx1g", "-jar",
                Path.of(System.getProperty("basedir", ".")).resolve("target/densify.jar").toString()));
        command.addAll(List.of(args));
        command.addAll(overrides);
        Path log = Files.createTempFile("densify-pass-at-k", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "densify " + command + " timed out");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        assertEquals(0, process.exitValue(), () -> "densify " + String.join(" ", args) + " failed:\n" + out);
        return out;
    }
}

package dev.densify.cli.rm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Demonstrable;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.trajectory.Step;
import dev.densify.core.train.TrajectoryFiles;
import dev.densify.rm.logs.LogRecord;
import dev.densify.rm.logs.LogRewardModel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The {@code reward-model} shaper in a real training: logs of gridworld episodes (reward 1 when the action is the
 * first move of a shortest solution from the state, as the environment's own solver says, else 0), a logs model
 * fitted on them with {@code densify rm logs fit}, then {@code densify train shaper=reward-model} with it. Every
 * sampled step's dense reward must be the environment's reward plus the model's Delta-refined score of that step,
 * with the outcome on the last step, recomputed here from the saved model.
 */
class RewardModelShaperIT {
    private static final Path DIR = Path.of("target", "reward-model-shaper");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aLogsModelFittedOnGridworldLogsShapesTheRewardsOfATraining() throws Exception {
        deleteRecursively(DIR);
        Files.createDirectories(DIR);
        Path log = DIR.resolve("gridworld.jsonl");
        int records = writeGridworldLogs(log);
        assertTrue(records > 500, "too few logged steps: " + records);

        Path model = DIR.resolve("model");
        RmCli.Result fit = RmCli.run("rm", "logs", "fit", "--log", log.toString(), "--out", model.toString(),
                "logs.encoder.kind=hashing", "logs.train.epochs=40");
        assertEquals(0, fit.exitCode(), fit.toString());
        assertTrue(fit.out().contains("classification"), "0/1 rewards are classified: " + fit);

        Path run = DIR.resolve("run");
        RmCli.Result train = RmCli.run("train", "--run-dir", run.toString(), "shaper=reward-model",
                "shaper.model=" + model, "normalizer=none", "policy.preset=micro", "trainer.iterations=2",
                "trainer.episodes_per_iteration=8", "trainer.group_size=4", "trainer.sample_trajectories=8",
                "trainer.eval_every=0", "trainer.checkpoint_every=0", "trainer.warm_start_episodes=16",
                "trainer.warm_start_epochs=4");
        assertEquals(0, train.exitCode(), train.toString());
        assertTrue(Files.readString(run.resolve("config.yaml")).contains("reward-model"));

        int steps = 0;
        int moved = 0;
        try (LogRewardModel loaded = LogRewardModel.load(model)) {
            for (Path file : trajectoryFiles(run)) {
                for (TrajectoryFiles.Sample sample : TrajectoryFiles.readSamples(file)) {
                    List<Step> trace = sample.trajectory().steps();
                    double[] m = loaded.predict(records(trace));
                    double[] dense = sample.values().denseRewards();
                    assertEquals(trace.size(), dense.length, "one dense reward per step");
                    for (int t = 0; t < trace.size(); t++) {
                        double delta = t + 1 < trace.size() ? m[t] - m[t + 1] : 0;
                        double expected = trace.get(t).reward() + delta
                                + (t == trace.size() - 1 ? sample.trajectory().outcome().reward() : 0);
                        assertEquals(expected, dense[t], 1e-9, "step " + t + " of " + sample.trajectory().id());
                        moved += delta != 0 ? 1 : 0;
                        steps++;
                    }
                }
            }
        }
        assertTrue(steps > 0, "the run sampled no trajectories");
        assertTrue(moved > steps / 4, "the model's scores barely vary: " + moved + " of " + steps + " steps");

        List<String> lines = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(2, lines.size());
        for (String line : lines) {
            JsonNode metrics = JSON.readTree(line);
            // the sparse rewards of these short episodes are all 0 or the outcome; the model's rewards spread them
            assertTrue(metrics.get("reward_dense_std").asDouble() > metrics.get("reward_sparse_std").asDouble(), line);
        }
        Files.writeString(DIR.resolve("summary.txt"), fit.out() + "\n" + steps + " sampled steps, " + moved
                + " with a nonzero model reward\n");
    }

    /** Episodes on the training mazes that follow the solver's plan but for random moves at 0%, 30% or 60%. */
    private static int writeGridworldLogs(Path file) throws Exception {
        EnvironmentProvider provider = ServiceLoader.load(EnvironmentProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("gridworld")).findFirst().orElseThrow();
        PluginConfig config = PluginConfig.empty("env");
        List<Task> tasks = provider.tasks(config).train();
        Random random = new Random(17);
        List<String> lines = new ArrayList<>();
        int episode = 0;
        for (Task task : tasks) {
            for (double explore : new double[] {0, 0.3, 0.6}) {
                try (Environment env = provider.create(config)) {
                    Observation observation = env.reset(task, episode);
                    for (int t = 0; t < 40; t++) {
                        List<String> plan = ((Demonstrable) env).demonstrate().orElse(List.of());
                        List<String> actions = observation.admissibleActions();
                        String best = plan.isEmpty() ? "" : plan.get(0);
                        String action = best.isEmpty() || random.nextDouble() < explore
                                ? actions.get(random.nextInt(actions.size())) : best;
                        lines.add(JSON.writeValueAsString(Map.of("episode_id", "e" + episode, "step", t,
                                "state", observation.text(), "action", action, "reward",
                                action.equals(best) ? 1 : 0)));
                        StepResult result = env.step(action);
                        if (result.done()) {
                            break;
                        }
                        observation = result.observation();
                    }
                }
                episode++;
            }
        }
        Files.write(file, lines);
        return lines.size();
    }

    private static List<LogRecord> records(List<Step> trace) {
        List<LogRecord> out = new ArrayList<>();
        for (int t = 0; t < trace.size(); t++) {
            out.add(new LogRecord(trace.get(t).observation(), trace.get(t).action(), 0, false, "", "episode", t, "",
                    LogRecord.DEFAULT_SOURCE, String.format(Locale.ROOT, "step %d", t)));
        }
        return out;
    }

    private static List<Path> trajectoryFiles(Path run) throws Exception {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(run.resolve("trajectories"), "iter-*.jsonl.gz")) {
            stream.forEach(files::add);
        }
        files.sort(null);
        return files;
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

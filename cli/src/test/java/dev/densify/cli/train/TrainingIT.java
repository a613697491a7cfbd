package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.AgentPrompt;
import dev.densify.core.train.Checkpoint;
import dev.densify.core.train.Collector;
import dev.densify.core.train.Evaluator;
import dev.densify.core.train.LanguagePolicy;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.RunFolder;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** End-to-end training on a small maze with the real plugins, model and buffer. */
class TrainingIT {
    /** A small, quick setting: 5x5 mazes without doors, the micro model, short warm start. */
    private static final List<String> SMALL = List.of("policy.preset=micro", "env.size=5", "env.key_door_pairs=0",
            "env.train_tasks=8", "env.held_out_tasks=4", "env.harder_tasks=0", "env.budget_factor=4.0",
            "trainer.episodes_per_iteration=8", "trainer.group_size=4", "trainer.eval_every=2",
            "trainer.eval_episodes=16", "trainer.warm_start_episodes=48", "trainer.warm_start_epochs=20",
            "trainer.warm_start_lr=0.01",
            "trainer.mini_batch=32", "trainer.sample_trajectories=2");
    private static final Set<String> TIMINGS = Set.of("seconds", "episodes_per_s", "tokens_per_s", "train_tokens_per_s");

    private final PluginRegistry registry = PluginRegistry.discover(TrainingIT.class.getClassLoader());
    private final ConfigComposer composer = new ConfigComposer(registry);

    private ComposedConfig config(List<String> more) {
        List<String> overrides = new ArrayList<>(SMALL);
        overrides.addAll(more);
        return composer.compose(ConfigRequest.of(overrides));
    }

    private List<Trainer.Evaluation> train(ComposedConfig config, Path folder, boolean resume) {
        try (Trainer trainer = TrainingRun.open(config, registry, folder, resume, TrainingListener.NONE)) {
            return trainer.run();
        }
    }

    @Test
    void trainingLiftsHeldOutSuccessAboveTheUntrainedPolicy(@TempDir Path folder) {
        ComposedConfig config = config(List.of("trainer.iterations=4"));
        double untrained = untrainedHeldOutSuccess(config);
        List<Trainer.Evaluation> evaluations = train(config, folder, false);
        double trained = evaluations.get(evaluations.size() - 1).success().estimate();
        assertTrue(trained > untrained, "held-out success " + trained + " after training, " + untrained + " before");
        List<Map<String, Object>> metrics = new RunFolder(folder).readMetrics();
        assertEquals(4, metrics.size());
        assertTrue(((Number) metrics.get(3).get("updates")).intValue() > 0, "policy updates happened");
        metrics.forEach(m -> assertEquals(false, m.get("alarm_value_without_success"), "no alarm on an honest run"));
    }

    /**
     * A planted shaper pays for every step, so the policy earns most by never reaching the goal: the dense return
     * rises while success does not, and the reward-hacking alarm must say so.
     */
    @Test
    void theRewardHackingAlarmFiresOnAnExploitableShaper(@TempDir Path folder) {
        train(config(List.of("trainer.iterations=8", "shaper=stay-alive", "shaper.bonus=0.5", "trainer.lr=0.003",
                "algo.beta=0", "trainer.eval_every=0", "critic=tabular")), folder, false);
        List<Map<String, Object>> metrics = new RunFolder(folder).readMetrics();
        assertTrue(metrics.stream().anyMatch(m -> Boolean.TRUE.equals(m.get("alarm_value_without_success"))),
                () -> "no alarm; dense returns " + metrics.stream().map(m -> m.get("dense_return_mean")).toList()
                        + ", training success " + metrics.stream().map(m -> m.get("train_success")).toList());
    }

    /** The same evaluation the trainer makes, with the preset's freshly initialised weights. */
    private double untrainedHeldOutSuccess(ComposedConfig config) {
        PolicySettings settings = config.group("policy").bind(PolicySettings.class);
        EnvironmentProvider env = registry.provider(PluginKind.ENV, config.selected("env"));
        PluginConfig envConfig = config.group("env");
        try (LlamaModel model = TrainingRun.policy(settings, 0);
             Collector collector = new Collector(env, envConfig, 2, Duration.ofSeconds(10), 0, 1.0)) {
            LanguagePolicy policy = new LanguagePolicy(model,
                    SamplingOptions.greedy(settings.maxActionTokens()).withStopStrings(List.of(AgentPrompt.ACTION_END)), 1);
            return Evaluator.success(new Evaluator(env.tasks(envConfig), 16, 1).evaluate(collector, policy)).estimate();
        }
    }

    /**
     * Each run is its own process, as a user runs them (a resumed run is a new process): in one JVM, a training run
     * after another has been seen to drift in the last digits, which separate processes never showed.
     */
    @ParameterizedTest(name = "{0}")
    // the default shaper, the shapers that learn online (their states are part of the checkpoint), and progress
    // credit on values from rollouts on forks (their sampling seeds come from the iteration)
    @ValueSource(strings = {"default shaper", "shaper=spa-progress", "shaper=implicit-prm shaper.model=micro",
            "credit=progress credit.fork_rollouts=2"})
    void resumingFromACheckpointEndsExactlyAsAnUninterruptedRun(String shaper, @TempDir Path root) throws Exception {
        List<String> common = new ArrayList<>(SMALL);
        common.addAll(List.of("trainer.checkpoint_every=1", "trainer.eval_every=1", "trainer.eval_episodes=4",
                "trainer.warm_start_epochs=1", "critic=mlp", "critic.epochs=3",
                // the interrupted run stands in for a kill by ending at 2 of 3 iterations; a decay that spans the
                // run's iterations would differ between 2 and 3 of them, so the rate stays constant here
                "trainer.lr_final_fraction=1.0"));
        boolean learned = shaper.startsWith("shaper=");
        boolean forks = shaper.contains("fork_rollouts");
        if (learned || forks) {
            common.addAll(List.of(shaper.split(" ")));
        }
        Path straight = root.resolve("straight");
        Path interrupted = root.resolve("interrupted");
        densify(common, "train", "--run-dir", straight.toString(), "trainer.iterations=3");
        densify(common, "train", "--run-dir", interrupted.toString(), "trainer.iterations=2");
        // what a kill in the middle of writing the next metrics line leaves; resume once failed on it
        java.nio.file.Files.writeString(interrupted.resolve("metrics.jsonl"), "{\"iteration\":2,\"succ",
                java.nio.file.StandardOpenOption.APPEND);
        densify(List.of(), "train", "--resume", interrupted.toString(), "trainer.iterations=3");

        List<Map<String, Object>> expected = new RunFolder(straight).readMetrics();
        List<Map<String, Object>> actual = new RunFolder(interrupted).readMetrics();
        assertEquals(3, actual.size());
        long episodes = 0;
        for (Map<String, Object> m : expected) {
            // every rollout on a fork is an episode of the run's budget
            long rollouts = forks ? ((Number) m.get("fork_rollouts")).longValue() : 0;
            assertEquals(forks, rollouts > 0, "rollouts on forks: " + rollouts);
            episodes += 8 + rollouts;
            assertEquals(episodes, ((Number) m.get("episodes")).longValue());
        }
        for (int i = 0; i < 3; i++) {
            withoutTimings(expected.get(i));
            withoutTimings(actual.get(i));
            assertEquals(expected.get(i), actual.get(i), "metrics of iteration " + i);
        }
        Checkpoint a = Checkpoint.read(Checkpoint.folder(straight.resolve("checkpoints"), 2));
        Checkpoint b = Checkpoint.read(Checkpoint.folder(interrupted.resolve("checkpoints"), 2));
        assertSameWeights(a.policy(), b.policy());
        assertArrayEquals(a.optimizer(), b.optimizer());
        assertArrayEquals(a.critic(), b.critic());
        assertEquals(learned ? 1 : 0, a.shapers().size());
        assertEquals(a.shapers().size(), b.shapers().size());
        for (int k = 0; k < a.shapers().size(); k++) {
            assertArrayEquals(a.shapers().get(k), b.shapers().get(k), "learned shaper " + k);
        }
    }

    /**
     * Trainings that share a JVM one after another (as {@code ablate --parallel 1} runs them) end bit for bit as the
     * same trainings do each in a process of its own. (Trainings at the same time need processes of their own: the
     * engine admits one gradient recording per process, so {@code ablate} starts them as child processes.)
     */
    @Test
    void trainingsInOneJvmEndExactlyAsInSeparateProcesses(@TempDir Path root) throws Exception {
        List<String> common = new ArrayList<>(SMALL);
        common.addAll(List.of("trainer.iterations=2", "trainer.eval_every=2", "trainer.eval_episodes=4",
                "trainer.warm_start_epochs=2", "critic=mlp", "critic.epochs=3", "shaper=none", "credit=progress"));
        for (long seed = 0; seed < 2; seed++) {
            densify(common, "train", "--run-dir", root.resolve("alone-" + seed).toString(), "trainer.seed=" + seed);
        }
        for (long seed = 0; seed < 2; seed++) {
            List<String> overrides = new ArrayList<>(common);
            overrides.add("trainer.seed=" + seed);
            train(composer.compose(ConfigRequest.of(overrides)), root.resolve("sequential-" + seed), false);
        }
        for (String way : List.of("sequential-")) {
            for (long seed = 0; seed < 2; seed++) {
                List<Map<String, Object>> expected = new RunFolder(root.resolve("alone-" + seed)).readMetrics();
                List<Map<String, Object>> actual = new RunFolder(root.resolve(way + seed)).readMetrics();
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    withoutTimings(expected.get(i));
                    withoutTimings(actual.get(i));
                    assertEquals(expected.get(i), actual.get(i), way + seed + ", iteration " + i);
                }
            }
        }
    }

    /** Drops what measures time (rates and the per-phase time_*_s split): it differs between any two runs. */
    private static void withoutTimings(Map<String, Object> metrics) {
        metrics.keySet().removeAll(TIMINGS);
        metrics.keySet().removeIf(key -> key.startsWith("time_"));
    }

    /** Runs the packaged command line in a new JVM, as the launcher does. */
    private static void densify(List<String> overrides, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-jar",
                Path.of(System.getProperty("basedir", ".")).resolve("target/densify.jar").toString()));
        command.addAll(List.of(args));
        command.addAll(overrides);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "densify " + command + " timed out");
        assertEquals(0, process.exitValue(), () -> "densify " + String.join(" ", args) + " failed");
    }

    private static void assertSameWeights(ModelWeights expected, ModelWeights actual) {
        assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
        for (Map.Entry<String, WeightTensor> e : expected.tensors().entrySet()) {
            assertArrayEquals(e.getValue().data(), actual.tensors().get(e.getKey()).data(), e.getKey());
        }
    }
}

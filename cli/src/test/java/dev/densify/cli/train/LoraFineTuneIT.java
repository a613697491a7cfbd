package dev.densify.cli.train;

import static dev.densify.core.model.io.TestModels.stories260K;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.cli.Main;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.train.Checkpoint;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.RunFolder;
import dev.densify.core.train.RunFolderException;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.util.Map;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LoRA reinforcement learning on the real stories260K checkpoint. */
class LoraFineTuneIT {
    static final Path BIN = stories260K().resolve("stories260K.bin");

    private final PluginRegistry registry = PluginRegistry.discover(LoraFineTuneIT.class.getClassLoader());

    static List<String> lora(String... more) {
        List<String> overrides = new ArrayList<>(List.of("env=story-word", "policy.checkpoint=" + BIN,
                "policy.lora.rank=4", "policy.lora.alpha=8", "policy.lora.targets=[q,k,v,o,gate,up,down]",
                "policy.max_action_tokens=4", "trainer.seed=1", "trainer.episodes_per_iteration=32",
                "trainer.group_size=8", "trainer.eval_every=0", "trainer.eval_episodes=64", "trainer.lr=0.01",
                "trainer.checkpoint_every=0", "trainer.sample_trajectories=0"));
        overrides.addAll(List.of(more));
        return overrides;
    }

    @Test
    void loraRaisesHeldOutSuccessAboveTheBaseModelsWhileTheCriticReadsTheFrozenBase(@TempDir Path folder)
            throws Exception {
        ComposedConfig config = config("trainer.iterations=" + Integer.getInteger("lora.iterations", 6));
        try (Trainer trainer = TrainingRun.open(config, registry, folder, false, TrainingListener.NONE)) {
            double base = trainer.evaluate().success().estimate();
            trainer.run();
            double trained = trainer.evaluate().success().estimate();
            System.out.println("held-out success: base " + base + ", after LoRA RL " + trained);
            assertTrue(trained > base + 0.15, "held-out success " + trained + " after LoRA RL, " + base + " before");

            int[] prompt = trainer.policy().promptTokens("Once upon a time, there was a boy");
            try (LlamaModel frozenBase = LlamaModel.fromWeights(ModelFiles.read(BIN))) {
                float[][] expected = frozenBase.features(List.of(prompt), 32)[0];
                float[][] actual = trainer.criticFeatures().features(List.of(prompt))[0];
                for (int i = 0; i < expected.length; i++) {
                    assertArrayEquals(expected[i], actual[i], "critic feature row " + i + " is the frozen base's");
                }
            }
        }
    }

    /** Fewer episodes per iteration, a checkpoint after each: for the tests of what a run leaves behind. */
    private static final List<String> SHORT = List.of("trainer.episodes_per_iteration=8", "trainer.group_size=4",
            "trainer.checkpoint_every=1");

    private ComposedConfig config(String... more) {
        return new ConfigComposer(registry).compose(ConfigRequest.of(lora(more)));
    }

    private ComposedConfig config(List<String> first, String... more) {
        List<String> overrides = new ArrayList<>(first);
        overrides.addAll(List.of(more));
        return config(overrides.toArray(String[]::new));
    }

    private List<Map<String, Object>> train(ComposedConfig config, Path folder, boolean resume) {
        try (Trainer trainer = TrainingRun.open(config, registry, folder, resume, TrainingListener.NONE)) {
            trainer.run();
        }
        return withoutTimings(new RunFolder(folder).readMetrics());
    }

    private static List<Map<String, Object>> withoutTimings(List<Map<String, Object>> metrics) {
        metrics.forEach(m -> m.keySet().removeIf(key -> key.startsWith("time_") || key.endsWith("_per_s")
                || key.equals("seconds")));
        return metrics;
    }

    /** Runs the command line in a new JVM on this test's class path (which holds the story-word environment). */
    private static void densify(List<String> overrides, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-Xmx1g", "-cp",
                System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        command.addAll(overrides);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(process.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "densify " + args[0] + " timed out");
        assertEquals(0, process.exitValue(), () -> "densify " + String.join(" ", args) + " failed:\n" + output);
    }

    /**
     * A LoRA run's checkpoints hold its adapters and optimizer, not the frozen base; resumed from one, the run ends
     * exactly as an uninterrupted one. Resumed onto another base checkpoint it refuses, naming both. Each training
     * is a process of its own, as a user runs them (see TrainingIT: trainings one after another in one JVM have
     * been seen to differ).
     */
    @Test
    void aResumedLoraRunEndsExactlyAsAnUninterruptedOneAndRefusesAnotherBase(@TempDir Path root) throws Exception {
        Path straight = root.resolve("straight");
        Path interrupted = root.resolve("interrupted");
        List<String> common = new ArrayList<>(lora());
        common.addAll(SHORT);
        densify(common, "train", "--run-dir", straight.toString(), "trainer.iterations=2");
        densify(common, "train", "--run-dir", interrupted.toString(), "trainer.iterations=1");
        densify(List.of(), "train", "--resume", interrupted.toString(), "trainer.iterations=2");
        List<Map<String, Object>> expected = withoutTimings(new RunFolder(straight).readMetrics());
        List<Map<String, Object>> actual = withoutTimings(new RunFolder(interrupted).readMetrics());
        assertEquals(2, actual.size());
        assertEquals(expected, actual);

        Path last = Checkpoint.folder(straight.resolve("checkpoints"), 1);
        assertTrue(Files.isRegularFile(last.resolve("policy").resolve(ModelFiles.ADAPTER)), "adapters saved");
        assertFalse(Files.exists(last.resolve("policy").resolve("model.safetensors")), "the frozen base is not copied");
        Checkpoint a = Checkpoint.read(last);
        Checkpoint b = Checkpoint.read(Checkpoint.folder(interrupted.resolve("checkpoints"), 1));
        assertEquals(a.policy().tensors().keySet(), b.policy().tensors().keySet());
        assertTrue(a.policy().tensors().keySet().stream().allMatch(name -> name.contains(".lora_")),
                "only adapters: " + a.policy().tensors().keySet());
        a.policy().tensors().forEach((name, tensor) ->
                assertArrayEquals(tensor.data(), b.policy().tensors().get(name).data(), name));
        assertArrayEquals(a.optimizer(), b.optimizer());
        long adapterValues = a.policy().tensors().values().stream().mapToLong(t -> t.data().length).sum();
        assertTrue(a.optimizer().length < 4 * 3 * adapterValues + 4096, "AdamW holds the adapters' moments alone: "
                + a.optimizer().length + " bytes for " + adapterValues + " adapter values (the base has 260,032)");
        assertArrayEquals(a.critic(), b.critic());
        assertEquals(a.lora(), b.lora());

        Path gguf = stories260K().resolve("stories260K-f32.gguf");
        ComposedConfig otherBase = config(SHORT, "trainer.iterations=3", "policy.checkpoint=" + gguf);
        RunFolderException refused = assertThrows(RunFolderException.class,
                () -> TrainingRun.open(otherBase, registry, straight, true, TrainingListener.NONE).close());
        assertTrue(refused.getMessage().contains(BIN.toString()) && refused.getMessage().contains(gguf.toString())
                && refused.getMessage().contains("exact base"), refused.getMessage());
    }

    /**
     * {@code densify export} writes the trained policy as a Hugging Face folder that loads again as
     * {@code policy.checkpoint} with the same outputs as the adapted model; with --adapters-only the adapters alone,
     * which read back merged give the same weights.
     */
    @Test
    void anExportedPolicyLoadsAgainWithIdenticalOutputs(@TempDir Path root) throws Exception {
        Path run = root.resolve("run");
        train(config(SHORT, "trainer.iterations=1"), run, false);
        Path merged = root.resolve("merged");
        Path adapters = root.resolve("adapters");
        assertEquals(0, Main.run(new String[] {"export", "--checkpoint", run.toString(), "--out", merged.toString()},
                new ByteArrayInputStream(new byte[0]), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), Map.of()));
        assertEquals(0, Main.run(new String[] {"export", "--checkpoint", run.toString(), "--out", adapters.toString(),
                "--adapters-only"}, new ByteArrayInputStream(new byte[0]), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), Map.of()));
        assertTrue(Files.isRegularFile(merged.resolve("config.json")) && Files.isRegularFile(
                merged.resolve("model.safetensors")), "a Hugging Face folder");
        assertEquals(2, Main.run(new String[] {"export", "--checkpoint", run.toString(), "--out", merged.toString()},
                new ByteArrayInputStream(new byte[0]), new PrintWriter(System.out, true),
                new PrintWriter(System.err, true), Map.of()), "a non-empty --out is refused");

        PolicySettings reloaded = new ConfigComposer(registry).compose(ConfigRequest.of(List.of(
                "policy.checkpoint=" + merged))).group("policy").bind(PolicySettings.class);
        Path policy = Checkpoint.policyFolder(run);
        try (LlamaModel adapted = ModelFiles.readAdapted(policy);
             LlamaModel exported = TrainingRun.policy(reloaded, 0);
             LlamaModel fromAdapters = LlamaModel.fromWeights(ModelFiles.read(adapters))) {
            assertTrue(adapted.lora().isPresent() && exported.lora().isEmpty());
            int[] prompt = adapted.tokenizer().encode("Once upon a time, there was a little girl. She had a friend\nAction: ",
                    true);
            float[][] expected = adapted.logits(prompt);
            assertLogitsClose(expected, exported.logits(prompt));
            assertLogitsClose(expected, fromAdapters.logits(prompt));
            SamplingOptions greedy = SamplingOptions.greedy(24);
            assertEquals(adapted.generate(List.of(prompt), greedy, 0), exported.generate(List.of(prompt), greedy, 0));
            assertEquals(adapted.generate(List.of(prompt), greedy, 0),
                    fromAdapters.generate(List.of(prompt), greedy, 0));
        }
    }

    /** Merging folds B A into W once, where the adapted model adds it per call: float32 rounding differs slightly. */
    private static final float LOGIT_TOLERANCE = 1e-4f;

    private static void assertLogitsClose(float[][] expected, float[][] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], LOGIT_TOLERANCE, "logits at position " + i);
        }
    }
}

package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.ablate.AblationJob;
import dev.densify.core.ablate.Variant;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.cli.Main;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.io.AdapterBase;
import dev.densify.core.model.io.AdapterWeights;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.Checkpoint;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.RunFolder;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code densify ablate} with a LoRA policy: the shared warm start trains adapters, not the frozen base, so the
 * policy every variant starts from must carry them (it once saved the base alone, and every variant started from
 * the untrained checkpoint while the report's curves began at the warm start's success). The variants continue
 * those very adapter tensors over the same frozen base (they were once merged into a new base with fresh adapters
 * on top), so their checkpoints hold adapters of the original checkpoint and {@code densify export} works on them.
 */
class LoraAblationIT {
    /** The chat template shipped for checkpoints without one, in the repository's docs/templates. */
    static final Path TEMPLATE = repositoryRoot().resolve("docs/templates/plain-chat.jinja");

    /** Tiny budgets: a few demonstrations, one iteration of one group per run. */
    private static final List<String> TINY = List.of("env=tooluse", "env.view=result", "env.train_tasks=4",
            "env.held_out_tasks=2", "env.train_templates=[arithmetic]", "policy.checkpoint=" + LoraFineTuneIT.BIN,
            "policy.lora.rank=4", "policy.lora.alpha=8", "policy.lora.targets=[q,v]", "policy.max_action_tokens=24",
            "policy.prompt.format=chat", "policy.prompt.template=" + TEMPLATE,
            "policy.prompt.history=4", "trainer.iterations=1", "trainer.episodes_per_iteration=4",
            "trainer.group_size=4", "trainer.eval_every=1", "trainer.eval_episodes=2",
            "trainer.warm_start_episodes=4", "trainer.warm_start_epochs=4", "trainer.warm_start_lr=0.03",
            "trainer.checkpoint_every=1", "trainer.sample_trajectories=0");

    @Test
    void everyVariantStartsFromTheWarmStartedAdaptersNotTheUntrainedBase(@TempDir Path folder) throws Exception {
        PluginRegistry registry = PluginRegistry.discover(LoraAblationIT.class.getClassLoader());
        ConfigComposer composer = new ConfigComposer(registry);
        new AblationJob(composer, registry, name -> TrainingListener.NONE).run(ConfigRequest.of(TINY),
                List.of(Variant.parse("sparse"), Variant.parse("progress")), List.of(0L), 1, folder,
                (variant, seed, run, runs) -> { });

        Path warm = folder.resolve("warm-start").resolve("policy");
        assertTrue(Files.isRegularFile(warm.resolve(ModelFiles.ADAPTER)), "the warm start is saved as its adapters");
        assertFalse(Files.exists(warm.resolve("model.safetensors")), "the frozen base is not copied");
        int[] prompt;
        float[][] warmLogits;
        float[][] baseLogits;
        try (LlamaModel warmStarted = ModelFiles.readAdapted(warm);
             LlamaModel base = LlamaModel.fromWeights(ModelFiles.read(LoraFineTuneIT.BIN))) {
            prompt = base.tokenizer().encode("User: Task: What is (3+4)*2?\nAgent: ", true);
            warmLogits = warmStarted.logits(prompt);
            baseLogits = base.logits(prompt);
        }
        assertTrue(maxDifference(warmLogits, baseLogits) > 0.1, "the warm start changed the policy");
        for (String run : List.of("sparse-seed0", "progress-seed0")) {
            Path runFolder = folder.resolve(run);
            PolicySettings policy = composer.compose(ConfigRequest.of().withConfigFile(runFolder.resolve(
                    "config.yaml"))).group("policy").bind(PolicySettings.class);
            assertEquals(4, policy.lora().rank(), run + " trains LoRA adapters");
            assertEquals(warm.toString(), policy.lora().init(), run + " starts from the warm start's adapters");
            assertEquals(LoraFineTuneIT.BIN.toString(), policy.checkpoint(), run + " adapts the base itself");
            try (LlamaModel start = TrainingRun.policy(policy, 0);
                 LlamaModel warmStarted = ModelFiles.readAdapted(warm)) {
                assertTrue(start.lora().isPresent(), run + " trains adapters");
                assertEquals(warmStarted.loraWeights().tensors(), start.loraWeights().tensors(),
                        run + " starts from the warm start's adapter tensors, bit for bit");
                assertEquals(warmStarted.toWeights().tensors(), start.toWeights().tensors(),
                        run + " keeps the checkpoint's frozen base");
                assertEquals(0f, maxDifference(warmLogits, start.logits(prompt)), run + " starts at the warm start");
            }
            assertEquals(1, new RunFolder(runFolder).readMetrics().size(), run + " trained");

            Path trained = Checkpoint.policyFolder(runFolder);
            AdapterWeights adapters = ModelFiles.readAdapter(trained);
            assertEquals(AdapterBase.of(LoraFineTuneIT.BIN), ModelFiles.baseOf(adapters),
                    run + "'s checkpoint holds adapters of the original base checkpoint");
            Path exported = folder.resolve(run + "-exported");
            assertEquals(0, Main.run(new String[] {"export", "--checkpoint", runFolder.toString(), "--out",
                    exported.toString()}, new ByteArrayInputStream(new byte[0]), new PrintWriter(System.out, true),
                    new PrintWriter(System.err, true), Map.of()), "densify export of " + run);
            try (LlamaModel adapted = ModelFiles.readAdapted(trained);
                 LlamaModel merged = LlamaModel.fromWeights(ModelFiles.read(exported))) {
                // merged into the base once where the adapted model adds B A per call: float32 rounding only
                float difference = maxDifference(adapted.logits(prompt), merged.logits(prompt));
                assertTrue(difference < 1e-3, run + "'s export is " + difference + " away from its checkpoint");
            }
        }
    }

    /** The folder holding {@code mvnw} at or above the working directory (the module's folder under Maven). */
    static Path repositoryRoot() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("no mvnw above " + System.getProperty("user.dir"));
        }
        return root;
    }

    private static float maxDifference(float[][] a, float[][] b) {
        float max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}

package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.config.ComposedConfig;
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
        ComposedConfig config = new ConfigComposer(registry).compose(ConfigRequest.of(lora(
                "trainer.iterations=" + Integer.getInteger("lora.iterations", 12))));
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

    /** {@code ../shared/models/stories260K} beside the folder holding {@code mvnw}, or further up for worktrees. */
    static Path stories260K() {
        Path root = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("mvnw"))) {
            root = root.getParent();
        }
        for (Path dir = root == null ? null : root.getParent(); dir != null; dir = dir.getParent()) {
            Path models = dir.resolve("shared/models/stories260K");
            if (Files.isRegularFile(models.resolve("stories260K.bin"))) {
                return models;
            }
        }
        throw new IllegalStateException("the stories260K test model is missing: expected ../shared/models/stories260K"
                + " beside the project root (above " + System.getProperty("user.dir") + ")");
    }
}

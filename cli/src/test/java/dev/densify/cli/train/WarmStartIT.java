package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.train.PolicySettings;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainerSettings;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warm start is one step: the ablation's, done alone, is the one a fresh run trains from. */
class WarmStartIT {
    private static final List<String> SMALL = List.of("policy.preset=micro", "env.size=5", "env.key_door_pairs=0",
            "env.train_tasks=8", "env.held_out_tasks=4", "env.harder_tasks=0", "trainer.eval_episodes=8",
            "trainer.warm_start_episodes=16", "trainer.warm_start_epochs=3", "trainer.warm_start_lr=0.01",
            "trainer.mini_batch=32", "trainer.iterations=0");

    private final PluginRegistry registry = PluginRegistry.discover(WarmStartIT.class.getClassLoader());

    @Test
    void theWarmStartAloneGivesThePolicyAndEvaluationAFreshRunStartsFrom(@TempDir Path dir) throws IOException {
        ComposedConfig config = new ConfigComposer(registry).compose(ConfigRequest.of(SMALL));
        Trainer.Evaluation alone = TrainingRun.warmStart(config, registry, dir.resolve("alone"), TrainingListener.NONE);
        List<String> heard = new ArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void phase(String name) {
                heard.add(name);
            }
        };
        try (Trainer trainer = TrainingRun.open(config, registry, dir.resolve("run"), false, listener)) {
            assertEquals(List.of("warm start"), heard, "opening a fresh run warms up and trains nothing else");
            trainer.writePolicy(dir.resolve("run-policy"));
            assertEquals(alone, trainer.evaluate(), "the same held-out episodes, the same policy");
        }
        assertFalse(Files.exists(dir.resolve("run").resolve("metrics.jsonl")), "no iteration ran");
        byte[] warm = Files.readAllBytes(dir.resolve("alone/policy/model.safetensors"));
        assertArrayEquals(warm, Files.readAllBytes(dir.resolve("run-policy/model.safetensors")));
        PolicySettings policy = config.group("policy").bind(PolicySettings.class);
        try (LlamaModel untrained = TrainingRun.policy(policy,
                config.group("trainer").bind(TrainerSettings.class).seed())) {
            ModelFiles.write(untrained.toWeights(), dir.resolve("untrained"));
        }
        assertFalse(Arrays.equals(warm, Files.readAllBytes(dir.resolve("untrained/model.safetensors"))),
                "the warm start changed the policy");
    }
}

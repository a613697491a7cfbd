package dev.densify.cli.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Task;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.plugin.PluginRegistry;
import dev.densify.core.prompt.AgentContext;
import dev.densify.core.prompt.Turn;
import dev.densify.core.train.Checkpoint;
import dev.densify.core.train.Collector;
import dev.densify.core.train.EpisodeSpec;
import dev.densify.core.train.LanguagePolicy;
import dev.densify.core.train.Trainer;
import dev.densify.core.train.TrainingListener;
import dev.densify.core.train.TrainingRun;
import dev.densify.core.train.TrajectoryFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole of issue 13's agent path on the real stories260K checkpoint: the tool-use environment, seen through the
 * chat template shipped for checkpoints without one, with the conversation in the prompt (the result view shows
 * only the latest result, so the history is needed), LoRA adapters warm-started on the environment's
 * demonstrations, then an RL iteration. Success is measured on the training tasks: the held-out templates need
 * tool combinations a 260K-parameter model does not reach within a test's budget.
 */
class ToolUseLoraChatIT {

    static final List<String> CONFIG = List.of("env=tooluse", "env.view=result", "env.train_tasks=4",
            "env.held_out_tasks=4", "env.train_templates=[arithmetic,cost]", "policy.checkpoint=" + LoraFineTuneIT.BIN,
            "policy.lora.rank=8", "policy.lora.alpha=16", "policy.lora.targets=[q,k,v,o,gate,up,down]",
            "policy.max_action_tokens=24", "policy.prompt.format=chat",
            "policy.prompt.template=" + LoraAblationIT.TEMPLATE, "policy.prompt.history=8", "trainer.seed=1",
            "trainer.iterations=" + Integer.getInteger("tooluse.iterations", 1), "trainer.episodes_per_iteration=32",
            "trainer.group_size=8", "trainer.eval_every=0", "trainer.eval_episodes=4",
            "trainer.warm_start_episodes=16", "trainer.warm_start_epochs=30", "trainer.warm_start_lr=0.003",
            "trainer.mini_batch=16", "trainer.lr=0.0002", "trainer.checkpoint_every=100",
            "trainer.sample_trajectories=16");

    /** Sampled episodes per training task when measuring success, from fixed seeds. */
    private static final int ATTEMPTS = 8;

    private final PluginRegistry registry = PluginRegistry.discover(ToolUseLoraChatIT.class.getClassLoader());

    @Test
    void loraWarmStartAndRlThroughTheChatTemplateTrainTheAdaptersAloneOnTheGeneratedIds(@TempDir Path folder) {
        ComposedConfig config = new ConfigComposer(registry).compose(ConfigRequest.of(CONFIG));
        PluginConfig envConfig = config.group("env");
        EnvironmentProvider tooluse = ServiceLoader.load(EnvironmentProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("tooluse")).findFirst().orElseThrow();
        List<Task> train = tooluse.tasks(envConfig).train();
        try (Trainer trainer = TrainingRun.open(config, registry, folder, false, TrainingListener.NONE);
             Collector collector = new Collector(tooluse, envConfig, 1, Duration.ofSeconds(30), 0, 0)) {
            LanguagePolicy policy = trainer.policy();
            Map<String, WeightTensor> base = policy.model().toWeights().tensors();
            Map<String, WeightTensor> warmAdapters = policy.model().loraWeights().tensors();
            double before = success(collector, policy, train);
            trainer.run();
            double after = success(collector, policy, train);
            System.out.println("training-task success (" + train.size() * ATTEMPTS + " sampled episodes): warm start "
                    + before + ", after LoRA RL " + after);

            // only the adapters trained: the base is the checkpoint's, bit for bit, and the adapters moved
            ModelWeights checkpoint = readBase();
            policy.model().toWeights().tensors().forEach((name, tensor) -> {
                assertArrayEquals(base.get(name).data(), tensor.data(), name + " changed during RL");
                assertArrayEquals(checkpoint.tensors().get(name).data(), tensor.data(), name + " is not the base's");
            });
            assertTrue(policy.model().loraWeights().tensors().entrySet().stream().anyMatch(e ->
                    !Arrays.equals(warmAdapters.get(e.getKey()).data(), e.getValue().data())), "RL moved no adapter");

            // the checkpoint holds the adapters, not the base
            Path last = Checkpoint.latestFolder(folder.resolve("checkpoints")).orElseThrow();
            assertTrue(Files.isRegularFile(last.resolve("policy").resolve(ModelFiles.ADAPTER)));
            Checkpoint saved = Checkpoint.read(last);
            assertTrue(saved.lora().isPresent());
            assertTrue(saved.policy().tensors().keySet().stream().allMatch(n -> n.contains(".lora_")),
                    saved.policy().tensors().keySet().toString());

            assertPromptsAreTheTemplatesWithTheGeneratedIds(folder, policy);
            // The warm start, through the adapters alone, teaches the story model to call the tools: stories260K
            // itself never writes a call. RL raising this further was not measurable within a test's budget (see
            // the README's LoRA section for what was measured), so it is not asserted here.
            assertTrue(before >= 0.2, "training-task success after the warm start " + before);
            assertTrue(after >= 0.1, "training-task success after RL " + after);
        }
    }

    /**
     * stories260K's tokenizer spells every call of every plan (byte fallback covers what its 253 merges do not) and
     * the longest completion, EOS included, fits policy.max_action_tokens=24.
     */
    @Test
    void stories260kSpellsEveryToolCallWithinTheActionBudget() {
        EnvironmentProvider tooluse = ServiceLoader.load(EnvironmentProvider.class).stream()
                .map(ServiceLoader.Provider::get).filter(p -> p.name().equals("tooluse")).findFirst().orElseThrow();
        PluginConfig defaults = PluginConfig.empty("env");
        var tasks = tooluse.tasks(defaults);
        var tokenizer = readBase().tokenizer().orElseThrow();
        int longest = 0;
        for (Task task : Stream.concat(tasks.train().stream(), tasks.heldOut().stream()).toList()) {
            try (var env = tooluse.create(defaults)) {
                env.reset(task, 0L);
                for (String action : ((dev.densify.api.env.Demonstrable) env).demonstrate().orElseThrow()) {
                    int[] ids = tokenizer.encode(action, false);
                    assertEquals(action, tokenizer.decode(ids), "stories260K's tokenizer spells " + action);
                    longest = Math.max(longest, ids.length + 1);
                }
            }
        }
        assertTrue(longest <= 24, "the longest call with its EOS takes " + longest + " tokens");
    }

    /**
     * The prompts the learner trained on (the stored steps) are the template's rendering of the conversation so
     * far with every earlier action as the exact ids generated for it: token in, token out.
     */
    private static void assertPromptsAreTheTemplatesWithTheGeneratedIds(Path folder, LanguagePolicy policy) {
        int bos = policy.model().tokenizer().bos();
        int checked = 0;
        List<Path> files;
        try (Stream<Path> listing = Files.list(folder.resolve("trajectories"))) {
            files = listing.sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (Path file : files) {
            for (Trajectory t : TrajectoryFiles.read(file)) {
                List<Turn> turns = new ArrayList<>();
                for (Step step : t.steps()) {
                    int[] prompt = step.promptTokenIds();
                    assertEquals(bos, prompt[0], "the template opens with the tokenizer's BOS");
                    assertArrayEquals(policy.prompts().prompt(new AgentContext("", turns, step.observation())), prompt,
                            t.id() + ": the prompt is the template's rendering of the episode so far");
                    if (!turns.isEmpty()) {
                        int[] previous = turns.get(turns.size() - 1).actionTokenIds();
                        assertTrue(contains(prompt, previous), t.id() + ": the earlier action's generated ids");
                        checked++;
                    }
                    turns.add(new Turn(step.observation(), step.actionTokenIds()));
                }
            }
        }
        assertTrue(checked > 0, "no stored step showed an earlier turn");
    }

    /** Sampled success over every training task, {@link #ATTEMPTS} episodes each, from fixed seeds. */
    private static double success(Collector collector, LanguagePolicy policy, List<Task> tasks) {
        List<EpisodeSpec> specs = new ArrayList<>();
        for (Task task : tasks) {
            for (int k = 0; k < ATTEMPTS; k++) {
                specs.add(new EpisodeSpec(task.id() + "-" + k, task, k, task.id()));
            }
        }
        List<Trajectory> episodes = collector.collect(specs, policy, 0x7001).trajectories();
        assertEquals(specs.size(), episodes.size());
        return episodes.stream().filter(t -> t.outcome().success()).count() / (double) episodes.size();
    }

    private static ModelWeights readBase() {
        try {
            return ModelFiles.read(LoraFineTuneIT.BIN);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean contains(int[] haystack, int[] needle) {
        return Collections.indexOfSubList(Arrays.stream(haystack).boxed().toList(),
                Arrays.stream(needle).boxed().toList()) >= 0;
    }
}

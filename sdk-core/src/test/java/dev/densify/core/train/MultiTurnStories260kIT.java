package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Task;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.io.TestModels;
import dev.densify.core.model.tokenizer.Tokenizer;
import dev.densify.core.optim.AdamW;
import dev.densify.core.prompt.PromptSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Token in, token out on the real stories260K checkpoint and its SentencePiece tokenizer, whose merges make
 * re-tokenisation drift common: multi-turn episodes with history, then the training forward over the stored steps.
 */
class MultiTurnStories260kIT {
    @Test
    void historyShowsTheGeneratedIdsEvenWhereTheirTextWouldTokeniseOtherwise() throws IOException {
        ModelWeights weights = ModelFiles.read(TestModels.stories260K().resolve("stories260K.bin"));
        PolicySettings settings = new PolicySettings("tiny", "", 1.0, 0, 1.0, 12,
                new PromptSettings("plain", 3, "", true, ""));
        try (LlamaModel model = LlamaModel.fromWeights(weights, weights.tokenizer().orElseThrow());
             Collector collector = new Collector(new MultiTurnLogProbsTest.Chatter(), PluginConfig.empty("env"), 2,
                     Duration.ofSeconds(30), 0, 0);
             AdamW adam = new AdamW(1e-3, 0.9, 0.999, 1e-8, 0)) {
            Tokenizer tokenizer = model.tokenizer();
            LanguagePolicy policy = LanguagePolicy.of(model, settings, 2);
            Task task = new MultiTurnLogProbsTest.Chatter().tasks(PluginConfig.empty("env")).train().get(0);
            List<EpisodeSpec> specs = List.of(new EpisodeSpec("a", task, 11, "g"), new EpisodeSpec("b", task, 12, "g"),
                    new EpisodeSpec("c", task, 13, "g"));
            List<Trajectory> trajectories = collector.collect(specs, policy, 5).trajectories();
            List<float[]> trained = new Learner(model, Optional.empty(), adam, 1, 4, 1.0).actionLogProbs(trajectories);
            int at = 0;
            int drifted = 0;
            for (Trajectory t : trajectories) {
                for (int s = 0; s < t.length(); s++) {
                    Step step = t.steps().get(s);
                    float[] forward = trained.get(at++);
                    for (int j = 0; j < forward.length; j++) {
                        assertEquals(step.actionLogProbs()[j], forward[j], 1e-4, t.id() + " step " + s + " token " + j);
                    }
                    if (s > 0) {
                        int[] previous = t.steps().get(s - 1).actionTokenIds();
                        assertTrue(contains(step.promptTokenIds(), previous), t.id() + " step " + s);
                        int[] reencoded = tokenizer.encode(tokenizer.decode(previous), false);
                        if (!Arrays.equals(reencoded, previous)) {
                            drifted++;
                        }
                    }
                }
                // the critic's view of s_T: the same history, the instruction taken back from the first prompt
                int[] last = t.steps().get(t.length() - 1).actionTokenIds();
                int[] finalPrompt = policy.finalPromptTokens(t);
                assertTrue(contains(finalPrompt, last));
                int[] instruction = tokenizer.encode(task.instruction() + "\n", false);
                assertTrue(contains(finalPrompt, instruction) && contains(t.steps().get(0).promptTokenIds(), instruction));
            }
            // the case token in, token out exists for: generated ids whose text re-encodes to other ids
            assertTrue(drifted > 0, "no generated action re-encoded differently; the test shows nothing");
        }
    }

    private static boolean contains(int[] haystack, int[] needle) {
        return Collections.indexOfSubList(Arrays.stream(haystack).boxed().toList(),
                Arrays.stream(needle).boxed().toList()) >= 0;
    }
}

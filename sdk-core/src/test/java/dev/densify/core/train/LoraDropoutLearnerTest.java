package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.densify.api.algo.StepAdvantages;
import dev.densify.api.env.Outcome;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.Generation;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.LoraConfig;
import dev.densify.core.model.LoraTarget;
import dev.densify.core.model.ModelWeights;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.model.WeightTensor;
import dev.densify.core.model.io.ModelFiles;
import dev.densify.core.model.io.TestModels;
import dev.densify.core.optim.AdamW;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LoRA dropout through the learner on the real stories260K checkpoint: an update's masks follow from its seed alone
 * (which the trainer derives from the run seed and the iteration), so equal seeds give equal adapters, a resumed
 * sequence of updates ends where an uninterrupted one does, and the passes that sample, measure or refer never drop.
 */
class LoraDropoutLearnerTest {
    private static final List<String> PROMPTS = List.of("Once upon a time", "The cat sat", "Lily was happy",
            "One day, a boy");
    private static ModelWeights stories;

    @BeforeAll
    static void readTheCheckpoint() throws IOException {
        stories = ModelFiles.read(TestModels.stories260K().resolve("stories260K-f32.gguf"));
    }

    /** stories260K with adapters on q, v (the shipped targets) that have moved off their fresh values. */
    private static LlamaModel adapted(double dropout) {
        try (LlamaModel base = LlamaModel.fromWeights(stories)) {
            LlamaModel model = base.withLora(new LoraConfig(2, 4, EnumSet.of(LoraTarget.Q, LoraTarget.V), dropout, 9));
            return LoraCheckpointTest.asTrained(model);
        }
    }

    private static AdamW adam() {
        return new AdamW(1e-2, 0.9, 0.999, 1e-8, 0);
    }

    /** One step per prompt, its action sampled (with its log-probs) by {@code model}. */
    private static List<Trajectory> sampled(LlamaModel model) {
        List<int[]> prompts = PROMPTS.stream().map(p -> model.tokenizer().encode(p, true)).toList();
        List<Generation> generations = model.generate(prompts, SamplingOptions.sampling(6, 1.0), 3);
        List<Trajectory> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            Generation g = generations.get(i);
            Step step = new Step(PROMPTS.get(i), "s" + i, "", prompts.get(i), g.text(), g.tokenIds(), g.logProbs(), 0,
                    false, Map.of());
            out.add(new Trajectory("t" + i, "task", "g", 0, 0, List.of(step), "end", "end", new Outcome(0, false),
                    true));
        }
        return out;
    }

    private static List<StepAdvantages> advantages(List<Trajectory> trajectories) {
        List<StepAdvantages> out = new ArrayList<>();
        for (int i = 0; i < trajectories.size(); i++) {
            double[] a = {i % 2 == 0 ? 1 : -1};
            out.add(new StepAdvantages(a, a.clone()));
        }
        return out;
    }

    private static Map<String, WeightTensor> update(LlamaModel model, AdamW adam, List<Trajectory> batch, long seed) {
        new Learner(model, Optional.empty(), adam, 2, 2, 1.0)
                .update(new LearnerTest.Reinforce(), batch, advantages(batch), seed);
        return model.loraWeights().tensors();
    }

    @Test
    void equalUpdateSeedsGiveEqualAdaptersAndOtherSeedsOthers() {
        try (LlamaModel a = adapted(0.3); LlamaModel b = adapted(0.3); LlamaModel c = adapted(0.3);
             LlamaModel undropped = adapted(0); AdamW adamA = adam(); AdamW adamB = adam(); AdamW adamC = adam();
             AdamW adamU = adam()) {
            List<Trajectory> batch = sampled(a);
            Map<String, WeightTensor> first = update(a, adamA, batch, 5);
            assertEquals(first, update(b, adamB, batch, 5), "the same update seed, the same masks and adapters");
            assertNotEquals(first, update(c, adamC, batch, 6), "another seed draws other masks");
            assertNotEquals(first, update(undropped, adamU, batch, 5), "dropout takes part in the update");
        }
    }

    /** What a checkpoint holds (adapters, optimizer state) is all the next update needs: no hidden mask state. */
    @Test
    void aResumedSequenceOfUpdatesEndsWhereAnUninterruptedOneDoes() {
        try (LlamaModel uninterrupted = adapted(0.3); LlamaModel interrupted = adapted(0.3);
             LlamaModel resumed = adapted(0.3); AdamW adamU = adam(); AdamW adamI = adam(); AdamW adamR = adam()) {
            List<Trajectory> batch = sampled(uninterrupted);
            update(uninterrupted, adamU, batch, 21);
            Map<String, WeightTensor> expected = update(uninterrupted, adamU, batch, 22);

            update(interrupted, adamI, batch, 21);
            resumed.restore(interrupted.loraWeights());
            adamR.restoreState(adamI.saveState());
            assertEquals(expected, update(resumed, adamR, batch, 22));
        }
    }

    @Test
    void samplingMeasuringAndReferencePassesNeverDrop() {
        try (LlamaModel without = adapted(0); LlamaModel with = adapted(0.5);
             LlamaModel reference = with.frozenCopy(); AdamW adamW = adam(); AdamW adamD = adam()) {
            List<Trajectory> fromWithout = sampled(without);
            List<Trajectory> fromWith = sampled(with);
            for (int i = 0; i < fromWith.size(); i++) {
                Step a = fromWithout.get(i).steps().get(0);
                Step b = fromWith.get(i).steps().get(0);
                assertArrayEquals(a.actionTokenIds(), b.actionTokenIds(), "sampled tokens, step " + i);
                assertArrayEquals(a.actionLogProbs(), b.actionLogProbs(), "sampled log-probs, step " + i);
            }
            Learner plain = new Learner(without, Optional.of(reference), adamW, 1, 2, 1.0);
            Learner dropping = new Learner(with, Optional.of(reference), adamD, 1, 2, 1.0);
            List<float[]> expected = plain.actionLogProbs(fromWith);
            List<float[]> actual = dropping.actionLogProbs(fromWith);
            for (int i = 0; i < expected.size(); i++) {
                assertArrayEquals(expected.get(i), actual.get(i), "the learner's measured log-probs, step " + i);
            }
            assertEquals(plain.referenceKl(fromWith), dropping.referenceKl(fromWith), "the reference pass");
            assertEquals(0, dropping.referenceKl(fromWith), 1e-6, "a frozen copy of these adapters: the same policy");
        }
    }
}

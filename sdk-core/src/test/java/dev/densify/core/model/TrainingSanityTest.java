package dev.densify.core.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import dev.densify.core.optim.AdamW;
import dev.densify.core.optim.LearningRateSchedule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A few full fine-tuning steps on one sequence must make it more likely. */
class TrainingSanityTest {
    @Test
    void adamWStepsRaiseTheLogLikelihoodOfATrainingSequence() {
        LlamaConfig config = ModelPresets.preset("micro", ByteTokenizer.VOCAB_SIZE);
        try (LlamaModel model = LlamaModel.random(config, ModelFixtures.TOKENIZER, 7);
             AdamW optimizer = AdamW.withDefaults(1e-2)) {
            List<int[]> data = List.of(ModelFixtures.TOKENIZER.encode("the cat sat on the mat. the cat sat.", true));
            LearningRateSchedule schedule = new LearningRateSchedule(1e-2, 2, 10, 0.1);
            double before = logLikelihood(model, data);
            List<NDArray> parameters = model.trainableParameters();
            for (int step = 0; step < 10; step++) {
                try (NDManager manager = NDManager.newBaseManager()) {
                    optimizer.zeroGradients(parameters);
                    try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                        TokenScores scores = model.score(manager, data);
                        collector.backward(scores.logProbs().mul(scores.mask()).sum().neg());
                    }
                    optimizer.clipGradNorm(parameters, 1.0);
                    optimizer.setLearningRate(schedule.at(step));
                    optimizer.step(parameters);
                }
            }
            double after = logLikelihood(model, data);
            assertTrue(after > before + 10, "log-likelihood went from " + before + " to " + after);
        }
    }

    private static double logLikelihood(LlamaModel model, List<int[]> data) {
        try (NDManager manager = NDManager.newBaseManager()) {
            TokenScores scores = model.score(manager, data);
            return scores.logProbs().mul(scores.mask()).sum().getFloat();
        }
    }
}

package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.trajectory.Trajectory;
import dev.densify.core.model.LlamaModel;
import dev.densify.core.model.ModelPresets;
import dev.densify.core.model.SamplingOptions;
import dev.densify.core.model.tokenizer.ByteTokenizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CollectorTest {
    private static LlamaModel model;
    private static LanguagePolicy policy;

    @BeforeAll
    static void policy() {
        ByteTokenizer tokenizer = new ByteTokenizer();
        model = LlamaModel.random(ModelPresets.preset("micro", tokenizer.vocabSize()), tokenizer, 7);
        policy = new LanguagePolicy(model, SamplingOptions.sampling(4, 1.0).withStopStrings(AgentPrompt.STOP_STRINGS), 2);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<EpisodeSpec> specs(String... faults) {
        List<EpisodeSpec> specs = new ArrayList<>();
        for (int i = 0; i < faults.length; i++) {
            specs.add(new EpisodeSpec("e" + i, FaultyEnvironments.task(faults[i]), i, "g"));
        }
        return specs;
    }

    private static Collector collector(double maxFailureFraction) {
        return new Collector(new FaultyEnvironments(), PluginConfig.empty("env"), 2, Duration.ofMillis(500), 0,
                maxFailureFraction);
    }

    @Test
    void faultyEpisodesAreDroppedWithTheirReasonWhileTheOthersFinish() {
        try (Collector collector = collector(0.9)) {
            Collector.Result result = collector.collect(specs("ok", "throws", "hangs", "nan", "null", "ok"), policy, 1);
            assertEquals(List.of("e0", "e5"), result.trajectories().stream().map(Trajectory::id).toList());
            assertEquals(Map.of(EpisodeFailure.Reason.EXCEPTION, 1, EpisodeFailure.Reason.TIMEOUT, 1,
                    EpisodeFailure.Reason.NAN, 1, EpisodeFailure.Reason.INVALID_OBSERVATION, 1),
                    result.stats().failures());
            for (Trajectory t : result.trajectories()) {
                assertEquals(3, t.length());
                assertTrue(t.terminated() && t.outcome().success());
                // stored exactly as generated: prompt ids are the policy's encoding of the observation
                assertEquals(policy.promptTokens("position 0").length,
                        t.steps().get(0).promptTokenIds().length);
            }
        }
    }

    @Test
    void tooManyFailuresStopTheCollectionWithAClearMessage() {
        try (Collector collector = collector(0.25)) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> collector.collect(specs("ok", "throws", "nan", "ok"), policy, 1));
            assertTrue(e.getMessage().contains("2 of 4 episodes of environment 'faulty' failed"), e.getMessage());
            assertTrue(e.getMessage().contains("trainer.max_failure_fraction"), e.getMessage());
        }
    }

    @Test
    void theSameSeedCollectsTheSameTrajectories() {
        try (Collector collector = collector(0.5)) {
            List<Trajectory> first = collector.collect(specs("ok", "ok", "ok"), policy, 42).trajectories();
            List<Trajectory> second = collector.collect(specs("ok", "ok", "ok"), policy, 42).trajectories();
            assertEquals(first, second);
        }
    }
}

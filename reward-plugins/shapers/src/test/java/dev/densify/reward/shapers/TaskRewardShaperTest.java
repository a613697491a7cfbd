package dev.densify.reward.shapers;

import static dev.densify.reward.shapers.Episodes.TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.reward.ShapingInput;
import dev.densify.api.trajectory.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class TaskRewardShaperTest {
    private static final TaskRewardShaperConfig PROGRESS_ONLY = new TaskRewardShaperConfig(0, 1, 0, 0, 0);

    private static Step step(int t, Map<String, String> info) {
        return new Step("o" + t, "s" + t, "s" + t, new int[0], "a" + t, new int[0], new float[0], 0, false, info);
    }

    private static ShapingInput episode(boolean success, List<Map<String, String>> infos) {
        List<Step> steps = new ArrayList<>();
        for (int t = 0; t < infos.size(); t++) {
            steps.add(step(t, infos.get(t)));
        }
        return new ShapingInput(new double[infos.size()], new Outcome(success ? 1 : 0, success),
                new double[infos.size() + 1], true, steps);
    }

    /** Episodes of 1 to 20 steps, each reporting a progress and invalid flags. */
    private static Gen<ShapingInput> signalled() {
        Gen<Map<String, String>> info = doubles().between(0, 1).zip(booleans().all(), booleans().all(), Signals::of);
        return integers().between(1, 20).flatMap(n -> lists().of(info).ofSize(n))
                .zip(booleans().all(), (infos, success) -> episode(success, infos))
                .describedAs(e -> e.steps().stream().map(s -> s.info().toString()).toList() + " success="
                        + e.outcome().success());
    }

    private static double progress(ShapingInput e, int t) {
        return Signals.progress(e.steps().get(t).info()).orElseThrow();
    }

    @Test
    void aWorkedExampleOfEveryWeight() {
        ShapingInput e = episode(true, List.of(Signals.of(0.25, false, false), Signals.of(0.25, true, false),
                Signals.of(0.0, false, true), Signals.of(1.0, false, false)));
        double[] shaped = new TaskRewardShaper(new TaskRewardShaperConfig(2, 0.5, 0.1, 0.3, 0.01)).shape(e);
        assertArrayEquals(new double[] {0.125 - 0.01, -0.1 - 0.01, -0.125 - 0.3 - 0.01, 0.5 - 0.01 + 2}, shaped,
                1e-12);
    }

    @Test
    void theProgressTermTelescopesToTheLastProgressWhateverThePath() {
        qt().forAll(signalled()).checkAssert(e -> {
            double[] shaped = new TaskRewardShaper(PROGRESS_ONLY).shape(e);
            assertEquals(progress(e, e.length() - 1), Episodes.sum(shaped), TOLERANCE, "sum = p_{T-1} - p_{-1}");
        });
    }

    @Test
    void eachTermAddsItsWeightTimesItsCountAndNothingElse() {
        Gen<TaskRewardShaperConfig> weights = doubles().between(0, 3).zip(doubles().between(0, 3),
                doubles().between(0, 3), doubles().between(0, 3), doubles().between(0, 3),
                TaskRewardShaperConfig::new);
        qt().forAll(signalled(), weights).checkAssert((e, w) -> {
            double[] shaped = new TaskRewardShaper(w).shape(e);
            long invalidActions = e.steps().stream().filter(s -> Signals.invalidAction(s.info())).count();
            long invalidStates = e.steps().stream().filter(s -> Signals.invalidState(s.info())).count();
            double expected = (e.outcome().success() ? w.goalBonus() : 0) + w.progressBonus() * progress(e,
                    e.length() - 1) - w.invalidActionPenalty() * invalidActions
                    - w.invalidStatePenalty() * invalidStates - w.stepCost() * e.length();
            assertEquals(expected, Episodes.sum(shaped), 1e-9);
        });
    }

    @Test
    void addsToTheIncomingStepRewardsSoThatShapersChain() {
        qt().forAll(signalled(), Episodes.arrays(20, 5)).checkAssert((e, incoming) -> {
            double[] before = java.util.Arrays.copyOf(incoming, e.length());
            ShapingInput chained = new ShapingInput(before, e.outcome(), e.values(), e.terminated(), e.steps());
            TaskRewardShaper shaper = new TaskRewardShaper(TaskRewardShaperConfig.defaults());
            double[] alone = shaper.shape(e);
            double[] after = shaper.shape(chained);
            for (int t = 0; t < e.length(); t++) {
                assertEquals(before[t] + alone[t], after[t], TOLERANCE, "step " + t);
            }
        });
    }

    @Test
    void aStepWithoutProgressKeepsTheLastOne() {
        ShapingInput e = episode(false, List.of(Signals.of(0.5, false, false), Map.of(), Signals.of(0.75, false,
                false)));
        assertArrayEquals(new double[] {0.5, 0, 0.25}, new TaskRewardShaper(PROGRESS_ONLY).shape(e), 1e-12);
    }

    @Test
    void refusesAnEpisodeWithoutStepsWhenAWeightReadsSignals() {
        ShapingInput synthetic = new ShapingInput(new double[3], new Outcome(1, true), new double[4], true);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new TaskRewardShaper(TaskRewardShaperConfig.defaults()).shape(synthetic));
        assertTrue(error.getMessage().contains("without its steps"), error.getMessage());
        // goal bonus and step cost need only the outcome and the length
        assertArrayEquals(new double[] {-0.5, -0.5, 1.5},
                new TaskRewardShaper(new TaskRewardShaperConfig(2, 0, 0, 0, 0.5)).shape(synthetic), 1e-12);
    }

    @Test
    void refusesAnEnvironmentThatReportsNoProgressWhenProgressIsWeighted() {
        ShapingInput silent = episode(true, List.of(Map.of(), Map.of("event", "moved")));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new TaskRewardShaper(TaskRewardShaperConfig.defaults()).shape(silent));
        assertTrue(error.getMessage().contains("progress_bonus=0"), error.getMessage());
        assertArrayEquals(new double[] {0, 0}, new TaskRewardShaper(new TaskRewardShaperConfig(0, 0, 1, 1, 0))
                .shape(silent), 0);
    }

    @Test
    void rejectsNegativeWeightsNamingTheKey() {
        for (String key : List.of("goal_bonus", "progress_bonus", "invalid_action_penalty", "invalid_state_penalty",
                "step_cost")) {
            ConfigException error = assertThrows(ConfigException.class, () -> new TaskRewardShaperProvider()
                    .create(PluginConfig.of("shaper", Map.of(key, -1.0))));
            assertTrue(error.getMessage().contains(key) && error.getMessage().contains(">= 0"), error.getMessage());
        }
    }
}

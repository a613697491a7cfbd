package dev.densify.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.densify.api.env.Outcome;
import dev.densify.api.env.Signals;
import dev.densify.api.trajectory.Step;
import dev.densify.api.trajectory.Trajectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsTest {

    /** An episode whose step t reports the signals of {@code invalid.get(t)}. */
    private static Trajectory episode(List<Boolean> invalid) {
        List<Step> steps = new ArrayList<>();
        for (int t = 0; t < invalid.size(); t++) {
            steps.add(new Step("o" + t, "s" + t, "", new int[] {1}, "a", new int[] {2}, new float[] {-0.5f}, 0,
                    t == invalid.size() - 1, Signals.of(0.5, false, invalid.get(t))));
        }
        return new Trajectory("e", "task", "g", 0, 0, steps, "end", "s" + invalid.size(), new Outcome(0, false), true);
    }

    @Test
    void aGroupIsUniformWhenAllItsEpisodesEndAlike() {
        Step step = new Step("o", "s", "", new int[] {1}, "a", new int[] {2}, new float[] {-0.5f}, 0, true, Map.of());
        java.util.function.BiFunction<String, Boolean, Trajectory> episode = (group, success) -> new Trajectory("e",
                "task", group, 0, 0, List.of(step), "end", "s1", new Outcome(success ? 1 : 0, success), true);
        // g1 all fail, g2 mixed, g3 all succeed: two of three groups give a group-relative advantage of 0
        List<Trajectory> batch = List.of(episode.apply("g1", false), episode.apply("g2", true),
                episode.apply("g1", false), episode.apply("g2", false), episode.apply("g3", true));
        assertEquals(2 / 3.0, Metrics.uniformGroups(batch), 1e-12);
        assertTrue(Double.isNaN(Metrics.uniformGroups(List.of())));
    }

    @Test
    void theStartValueBoundIsOneWithoutNoiseWithinGroupsAndFallsWithIt() {
        Step step = new Step("o", "s", "", new int[] {1}, "a", new int[] {2}, new float[] {-0.5f}, 0, true, Map.of());
        java.util.function.BiFunction<String, Double, Trajectory> episode = (group, outcome) -> new Trajectory("e",
                "task", group, 0, 0, List.of(step), "end", "s1", new Outcome(outcome, outcome > 0), true);
        // every group's outcomes agree: V(s_0) = the group's outcome explains all of it
        assertEquals(1.0, Metrics.startValueEvBound(List.of(episode.apply("a", 1.0), episode.apply("a", 1.0),
                episode.apply("b", 0.0), episode.apply("b", 0.0))), 1e-12);
        // outcomes 1,0 | 1,1 | 0,0: within-group variances 0.5, 0, 0 (mean 1/6); all six: variance 0.3
        assertEquals(1 - (1 / 6.0) / 0.3, Metrics.startValueEvBound(List.of(episode.apply("a", 1.0),
                episode.apply("a", 0.0), episode.apply("b", 1.0), episode.apply("b", 1.0), episode.apply("c", 0.0),
                episode.apply("c", 0.0))), 1e-12);
        assertTrue(Double.isNaN(Metrics.startValueEvBound(List.of(episode.apply("a", 1.0), episode.apply("a", 1.0)))),
                "no spread, nothing to explain");
    }

    @Test
    void theValueOfAnInvalidStateIsTheValueOfTheStateTheStepLedTo() {
        Trajectory t = episode(List.of(false, true, false));
        // V(s_0..s_3); step 1 led to s_2, the dead end.
        double[] v = {0.9, 0.8, 0.25, 0.1};
        assertEquals(0.25, Metrics.meanValueOnInvalidStates(List.of(t), List.of(v)), 0);
    }

    @Test
    void withoutInvalidStatesTheMeanIsNaN() {
        Trajectory plain = new Trajectory("e", "task", "g", 0, 0, List.of(new Step("o", "s", "", new int[] {1}, "a",
                new int[] {2}, new float[] {-0.5f}, 0, true, Map.of())), "end", "s1", new Outcome(1, true), true);
        assertTrue(Double.isNaN(Metrics.meanValueOnInvalidStates(List.of(plain, episode(List.of(false, false))),
                List.of(new double[] {0.5, 0.0}, new double[] {0.1, 0.2, 0.3}))));
        assertTrue(Double.isNaN(Metrics.meanValueOnInvalidStates(List.of(), List.of())));
    }

    @Test
    void theMeanRunsOverEveryMarkedStateOfTheBatch() {
        qt().forAll(lists().of(lists().of(integers().between(0, 1)).ofSizeBetween(1, 12)).ofSizeBetween(1, 6))
                .checkAssert(flags -> {
                    List<Trajectory> batch = new ArrayList<>();
                    List<double[]> values = new ArrayList<>();
                    double sum = 0;
                    int n = 0;
                    for (int k = 0; k < flags.size(); k++) {
                        List<Boolean> invalid = flags.get(k).stream().map(f -> f == 1).toList();
                        batch.add(episode(invalid));
                        double[] v = new double[invalid.size() + 1];
                        for (int t = 0; t < v.length; t++) {
                            v[t] = k * 100 + t;
                        }
                        values.add(v);
                        for (int t = 0; t < invalid.size(); t++) {
                            if (invalid.get(t)) {
                                sum += v[t + 1];
                                n++;
                            }
                        }
                    }
                    double mean = Metrics.meanValueOnInvalidStates(batch, values);
                    if (n == 0) {
                        assertTrue(Double.isNaN(mean));
                    } else {
                        assertEquals(sum / n, mean, 1e-9);
                    }
                });
    }
}

package dev.densify.core.ablate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.core.ablate.Ablation.CurvePoint;
import dev.densify.core.ablate.Ablation.Report;
import dev.densify.core.ablate.Ablation.Run;
import dev.densify.core.ablate.Ablation.VariantResult;
import dev.densify.core.train.Confidence;
import dev.densify.core.train.Trainer.Evaluation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The ablation's summary statistics on training results written out by hand: the runs a {@link Ablation.Runner}
 * returns are the ablation's whole input, so a table of runs stands in for the trainings without changing what is
 * computed from them. Successes are multiples of 1/8, so that means and differences are exact.
 */
class AblationTest {
    private static final List<Long> SEEDS = List.of(11L, 12L, 13L);
    private static final Variant SPARSE = new Variant("sparse", List.of("shaper=none"));
    private static final Variant DENSE = new Variant("dense", List.of("credit=progress"));
    private static final Variant FLAT = new Variant("flat", List.of("trainer.lr=0"));
    /** Two-sided 97.5% quantile of Student's t for 2 degrees of freedom, as Confidence's table holds it. */
    private static final double T_2 = 4.303;

    /** Held-out success (in eighths) after 0, 64 and 128 training episodes, at iterations 0, 4 and 8. */
    private static Run run(int start, int middle, int last, double... nextBatchEv) {
        return new Run(List.of(evaluation(0, 0, start), evaluation(4, 64, middle), evaluation(8, 128, last)),
                nextBatchEv);
    }

    private static Evaluation evaluation(int iteration, long episodes, int eighths) {
        return new Evaluation(iteration, episodes, Confidence.wilson(eighths, 8));
    }

    /**
     * Every variant starts at 2/8. sparse ends at 4/8, 5/8, 6/8 (level 5/8) and reaches it only at the end; dense
     * ends 1/8 above sparse with every seed and is at the level after 64 episodes; flat never moves.
     */
    private static final Map<String, Map<Long, Run>> RUNS = Map.of(
            "sparse", Map.of(11L, run(2, 3, 4, 0.1, 0.9, 0.2, 0.4), 12L, run(2, 4, 5, 0.1, 0.9, 0.4, 0.6),
                    13L, run(2, 4, 6, Double.NaN, Double.NaN)),
            "dense", Map.of(11L, run(2, 4, 5), 12L, run(2, 5, 6), 13L, run(2, 6, 7)),
            "flat", Map.of(11L, run(2, 2, 2), 12L, run(2, 2, 2), 13L, run(2, 2, 2)));

    private static Report report(List<Variant> variants, int parallelism) {
        return new Ablation(variants, SEEDS).run((variant, seed) -> RUNS.get(variant.name()).get(seed),
                (variant, seed, run, runs) -> { }, parallelism);
    }

    private static Report report() {
        return report(List.of(SPARSE, DENSE, FLAT), 1);
    }

    private static VariantResult result(Report report, String name) {
        return report.variants().stream().filter(r -> r.variant().name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("final success is the mean over seeds of each run's last evaluation, with a t interval")
    void finalSuccessIsTheMeanOfTheLastEvaluations() {
        VariantResult sparse = result(report(), "sparse");
        assertArrayEquals(new double[] {0.5, 0.625, 0.75}, sparse.finalSuccessPerSeed(), 0);
        assertEquals(0.625, sparse.finalSuccess().estimate(), 0);
        double half = T_2 * 0.125 / Math.sqrt(3);
        assertEquals(0.625 - half, sparse.finalSuccess().low(), 1e-12);
        assertEquals(0.625 + half, sparse.finalSuccess().high(), 1e-12);
    }

    @Test
    @DisplayName("the paired difference is taken seed by seed: a constant gain has no spread even when the finals do")
    void thePairedDifferenceIsSeedBySeed() {
        Report report = report();
        VariantResult dense = result(report, "dense");
        assertEquals(new Confidence.Interval(0.125, 0.125, 0.125), dense.pairedDifference());
        assertTrue(dense.finalSuccess().high() - dense.finalSuccess().low() > 0.5,
                () -> "unpaired, the finals spread widely: " + dense.finalSuccess());
        // flat - sparse = -2/8, -3/8, -4/8 seed by seed
        VariantResult flat = result(report, "flat");
        double half = T_2 * 0.125 / Math.sqrt(3);
        assertEquals(-0.375, flat.pairedDifference().estimate(), 0);
        assertEquals(-0.375 - half, flat.pairedDifference().low(), 1e-12);
        assertEquals(-0.375 + half, flat.pairedDifference().high(), 1e-12);
        assertEquals(new Confidence.Interval(0, 0, 0), result(report, "sparse").pairedDifference());
    }

    @Test
    @DisplayName("the curve mean is each run's mean after the start, compared seed by seed")
    void theCurveMeanIsPairedSeedBySeed() {
        Report report = report();
        VariantResult dense = result(report, "dense");
        assertArrayEquals(new double[] {0.5625, 0.6875, 0.8125}, dense.curveMeanPerSeed(), 0);
        // dense - sparse = 1/8, 1/8, 3/16 seed by seed
        double[] differences = {0.125, 0.125, 0.1875};
        assertEquals(Confidence.mean(differences), dense.pairedCurveMean());
        assertEquals(0.4375 / 3, dense.pairedCurveMean().estimate(), 1e-15);
        assertEquals(new Confidence.Interval(0, 0, 0), result(report, "sparse").pairedCurveMean());
        assertTrue(line(report.summary(), "dense ").contains("+0.146 ["), report.summary());
    }

    @Test
    @DisplayName("variants evaluated at other episodes (rollouts on forks) get no curve-mean comparison")
    void aCurveMeanNeedsTheSameEpisodes() {
        Variant forks = new Variant("forks", List.of("credit.fork_rollouts=2"));
        Run spent = new Run(List.of(evaluation(0, 0, 2), evaluation(4, 1000, 5), evaluation(8, 2000, 6)),
                new double[0]);
        Report report = new Ablation(List.of(SPARSE, forks), List.of(11L, 12L)).run((variant, seed) ->
                variant == forks ? spent : RUNS.get("sparse").get(seed), (variant, seed, run, all) -> { }, 1);
        VariantResult result = result(report, "forks");
        assertTrue(Double.isNaN(result.pairedCurveMean().estimate()), result.pairedCurveMean().toString());
        assertArrayEquals(new double[] {0.6875, 0.6875}, result.curveMeanPerSeed(), 0);
        assertTrue(line(report.summary(), "forks ").matches("forks\\s+0\\.750 \\[.*\\]\\s+\\+0\\.188 \\[.*\\]\\s+-\\s+.*"),
                report.summary());
    }

    @Test
    @DisplayName("the level is the first variant's final success, the start the first point of its curve")
    void levelAndStartComeFromTheFirstVariant() {
        Report report = report();
        assertEquals(0.625, report.level(), 0);
        assertEquals(0.25, report.start(), 0);
        assertTrue(report.improved());
        assertEquals(SEEDS, report.seeds());
        assertEquals(List.of("sparse", "dense", "flat"),
                report.variants().stream().map(r -> r.variant().name()).toList());
    }

    @Test
    @DisplayName("episodes to reach the level: the first curve point at it, or -1 (not reached)")
    void episodesToReachTheLevel() {
        Report report = report();
        assertEquals(128, result(report, "sparse").episodesToReach());
        assertEquals(64, result(report, "dense").episodesToReach());
        assertEquals(-1, result(report, "flat").episodesToReach());
    }

    @Test
    @DisplayName("episodes to reach counts a point within rounding of the level, and nothing on an empty curve")
    void episodesToReachAtTheEdges() {
        Confidence.Interval justBelow = new Confidence.Interval(0.5 - 1e-10, 0.4, 0.6);
        Confidence.Interval farBelow = new Confidence.Interval(0.5 - 1e-6, 0.4, 0.6);
        assertEquals(32, Ablation.episodesToReach(List.of(new CurvePoint(0, 0, farBelow),
                new CurvePoint(2, 32, justBelow)), 0.5));
        assertEquals(-1, Ablation.episodesToReach(List.of(new CurvePoint(0, 0, farBelow)), 0.5));
        assertEquals(-1, Ablation.episodesToReach(List.of(), 0.5));
    }

    @Test
    @DisplayName("the curve has one point per evaluated iteration: its episodes and the mean success over seeds")
    void theCurveIsTheMeanOverSeedsPerIteration() {
        List<CurvePoint> curve = result(report(), "dense").curve();
        assertEquals(List.of(0, 4, 8), curve.stream().map(CurvePoint::iteration).toList());
        assertEquals(List.of(0L, 64L, 128L), curve.stream().map(CurvePoint::episodes).toList());
        assertEquals(new Confidence.Interval(0.25, 0.25, 0.25), curve.get(0).success());
        assertEquals(0.625, curve.get(1).success().estimate(), 0);
        assertEquals(0.75, curve.get(2).success().estimate(), 0);
    }

    @Test
    @DisplayName("the critic's explained variance is the mean from the third iteration on, over the seeds that have one")
    void criticEvSkipsTheWarmUpAndMissingValues() {
        // seed 11: (0.2 + 0.4) / 2, seed 12: (0.4 + 0.6) / 2, seed 13: only warm-up and NaN, left out
        Confidence.Interval ev = result(report(), "sparse").criticEv();
        assertEquals(0.4, ev.estimate(), 1e-12);
        // two seeds: t = 12.706 for one degree of freedom, standard error sqrt(0.02 / 1 / 2) = 0.1
        assertEquals(0.4 - 12.706 * 0.1, ev.low(), 1e-12);
        assertTrue(Double.isNaN(result(report(), "dense").criticEv().estimate()), "no values, no estimate");
    }

    @Test
    @DisplayName("pass@k is the mean over the seeds that measured it")
    void passAtKIsTheMeanOverTheSeedsThatMeasuredIt() {
        Map<Long, Run> runs = Map.of(11L, withPassAtK(RUNS.get("sparse").get(11L), Map.of(1, 0.5, 4, 0.75)),
                12L, withPassAtK(RUNS.get("sparse").get(12L), Map.of(1, 0.25)),
                13L, RUNS.get("sparse").get(13L));
        Report report = new Ablation(List.of(SPARSE), SEEDS).run((variant, seed) -> runs.get(seed),
                (variant, seed, run, count) -> { }, 1);
        Map<Integer, Confidence.Interval> passAtK = report.variants().get(0).passAtK();
        assertEquals(List.of(1, 4), List.copyOf(passAtK.keySet()));
        assertEquals(0.375, passAtK.get(1).estimate(), 0);
        assertEquals(new Confidence.Interval(0.75, Double.NaN, Double.NaN), passAtK.get(4));
        assertEquals(List.of(1, 4), report.passAtKs());
    }

    private static Run withPassAtK(Run run, Map<Integer, Double> passAtK) {
        return new Run(run.evaluations(), run.nextBatchEv(), passAtK);
    }

    @Test
    @DisplayName("results do not depend on how many trainings run at once")
    void parallelismDoesNotChangeTheResults() {
        Report one = report(List.of(SPARSE, DENSE, FLAT), 1);
        Report three = report(List.of(SPARSE, DENSE, FLAT), 3);
        assertEquals(one.level(), three.level(), 0);
        for (int v = 0; v < one.variants().size(); v++) {
            VariantResult a = one.variants().get(v);
            VariantResult b = three.variants().get(v);
            assertArrayEquals(a.finalSuccessPerSeed(), b.finalSuccessPerSeed(), 0, a.variant().name());
            assertEquals(a.curve(), b.curve(), a.variant().name());
            assertEquals(a.pairedDifference(), b.pairedDifference(), a.variant().name());
            assertEquals(a.episodesToReach(), b.episodesToReach(), a.variant().name());
            assertEquals(a.criticEv(), b.criticEv(), a.variant().name());
        }
    }

    @Test
    @DisplayName("runs start seed by seed, every variant of a seed side by side, and are numbered")
    void runsStartSeedBySeed() {
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        new Ablation(List.of(SPARSE, DENSE), SEEDS).run((variant, seed) -> RUNS.get(variant.name()).get(seed),
                (variant, seed, run, runs) -> started.add(run + "/" + runs + " " + variant.name() + "@" + seed), 1);
        assertEquals(List.of("1/6 sparse@11", "2/6 dense@11", "3/6 sparse@12", "4/6 dense@12", "5/6 sparse@13",
                "6/6 dense@13"), started);
    }

    @Test
    @DisplayName("a failed training fails the ablation with its own exception")
    void aFailedTrainingFailsTheAblation() {
        IllegalStateException boom = new IllegalStateException("run 12 ran out of memory");
        Map<Long, Run> runs = new HashMap<>(RUNS.get("sparse"));
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> new Ablation(List.of(SPARSE), SEEDS).run((variant, seed) -> {
                    if (seed == 12L) {
                        throw boom;
                    }
                    return runs.get(seed);
                }, (variant, seed, run, count) -> { }, 2));
        assertSame(boom, thrown);
    }

    @Test
    @DisplayName("an ablation without variants or seeds, or with no parallelism, is refused")
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Ablation(List.of(), SEEDS));
        assertThrows(IllegalArgumentException.class, () -> new Ablation(List.of(SPARSE), List.of()));
        IllegalArgumentException parallelism = assertThrows(IllegalArgumentException.class,
                () -> report(List.of(SPARSE), 0));
        assertTrue(parallelism.getMessage().contains("at least 1"), parallelism.getMessage());
    }

    @Test
    @DisplayName("the summary shows the paired difference, the episodes to reach or 'not reached', and the curves")
    void theSummaryShowsTheComparison() {
        String summary = report().summary();
        assertTrue(summary.contains("Start (shared warm start): 0.250. Reference level: 0.625, the final success of"
                + " 'sparse'."), summary);
        assertFalse(summary.contains("RL did not improve"), summary);
        String dense = line(summary, "dense ");
        assertTrue(dense.contains("+0.125 [+0.125, +0.125]") && dense.contains(" 64 "), dense);
        String flat = line(summary, "flat ");
        assertTrue(flat.contains("-0.375 [") && flat.contains("not reached"), flat);
        String curveEnd = line(summary, "128 ");
        assertTrue(curveEnd.matches("128\\s+0\\.625 \\[.*\\]\\s+0\\.750 \\[.*\\]\\s+0\\.250 \\[0\\.250, 0\\.250\\]"), curveEnd);
        String markdown = report().markdown();
        assertTrue(markdown.contains("| flat | 0.250 [0.250, 0.250] | -0.375 ["), markdown);
    }

    @Test
    @DisplayName("a variant that spent more episodes by an evaluation (rollouts on forks) says how many in the curve")
    void theCurveNamesTheEpisodesOfAVariantThatSpentOthers() {
        Variant forks = new Variant("forks", List.of("credit.fork_rollouts=2"));
        Map<Long, Run> runs = Map.of(11L, new Run(List.of(evaluation(0, 0, 2), evaluation(4, 1000, 5),
                evaluation(8, 2000, 6)), new double[0]), 12L, new Run(List.of(evaluation(0, 0, 2),
                evaluation(4, 1100, 5), evaluation(8, 2100, 6)), new double[0]));
        Report report = new Ablation(List.of(SPARSE, forks), List.of(11L, 12L)).run((variant, seed) ->
                variant == forks ? runs.get(seed) : RUNS.get("sparse").get(seed), (variant, seed, run, all) -> { }, 1);
        String summary = report.summary();
        assertTrue(line(summary, "64 ").endsWith("at 1050 episodes"), summary);
        assertTrue(line(summary, "128 ").endsWith("at 2050 episodes"), summary);
        assertFalse(line(summary, "0 ").contains(" at "), "the warm start is 0 episodes for both: " + summary);
    }

    @Test
    @DisplayName("when the first variant ends no higher than the start, the summary says so and compares no episodes")
    void theSummarySaysWhenRlDidNotImprove() {
        Report report = report(List.of(FLAT, DENSE), 1);
        assertFalse(report.improved());
        assertEquals(0.25, report.level(), 0);
        String summary = report.summary();
        assertTrue(summary.contains("RL did not improve on the start: 'flat' ended at or below it"), summary);
        assertFalse(summary.contains("not reached"), summary);
        // every variant reaches a level equal to the start at once, but the table shows "-" for all
        assertEquals(0, result(report, "dense").episodesToReach());
        assertTrue(line(summary, "dense ").matches(
                        "dense\\s+0\\.750 \\[.*\\]\\s+\\+0\\.500 \\[.*\\]\\s+\\+0\\.438 \\[.*\\]\\s+-\\s+-\\s+\\d+"),
                line(summary, "dense "));
    }

    @Test
    @DisplayName("ablation.json holds the same numbers, -1 for a level not reached")
    void theMapHoldsTheSameNumbers() {
        Map<String, Object> map = report().toMap();
        assertEquals(0.625, map.get("reference_level"));
        assertEquals(true, map.get("improved"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> variants = (List<Map<String, Object>>) map.get("variants");
        assertEquals(-1L, variants.get(2).get("episodes_to_reach_level"));
        assertEquals(Map.of("mean", 0.125, "low", 0.125, "high", 0.125), variants.get(1).get("paired_difference"));
        assertArrayEquals(new double[] {0.5625, 0.6875, 0.8125}, (double[]) variants.get(1).get("curve_mean_per_seed"), 0);
        assertEquals(0.4375 / 3, (double) ((Map<?, ?>) variants.get(1).get("paired_curve_mean_difference")).get("mean"),
                1e-15);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> curve = (List<Map<String, Object>>) variants.get(1).get("curve");
        assertEquals(Map.of("iteration", 4, "episodes", 64L, "mean", 0.625), Map.of("iteration",
                curve.get(1).get("iteration"), "episodes", curve.get(1).get("episodes"), "mean", curve.get(1).get("mean")));
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starts with '" + start + "' in:\n" + text));
    }
}

package dev.densify.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.core.ablate.Ablation;
import dev.densify.core.ablate.Variant;
import dev.densify.core.train.Confidence;
import dev.densify.core.train.Trainer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pass@k per variant: averaged over seeds like final success, shown beside the warm start's in every report. */
class AblationPassAtKTest {
    private static Ablation.Run run(double finalSuccess, double pass1, double pass4) {
        List<Trainer.Evaluation> curve = List.of(new Trainer.Evaluation(-1, 0, new Confidence.Interval(0.2, 0.1, 0.3)),
                new Trainer.Evaluation(1, 32, new Confidence.Interval(finalSuccess, 0, 1)));
        return new Ablation.Run(curve, new double[] {0.5, 0.5, 0.5}, Map.of(1, pass1, 4, pass4));
    }

    private static Ablation.Report report() {
        Map<String, double[][]> byVariant = Map.of(
                "sparse", new double[][] {{0.4, 0.40, 0.70}, {0.5, 0.50, 0.80}},
                "task-reward", new double[][] {{0.6, 0.60, 0.70}, {0.7, 0.70, 0.70}});
        return new Ablation(List.of(Variant.parse("sparse"), Variant.parse("task-reward")), List.of(0L, 1L))
                .run((variant, seed) -> {
                    double[] r = byVariant.get(variant.name())[(int) seed];
                    return run(r[0], r[1], r[2]);
                }, (variant, seed, n, runs) -> { }, 1)
                .withStartPassAtK(Map.of(1, new Confidence.Interval(0.2, 0.1, 0.3), 4,
                        new Confidence.Interval(0.6, 0.5, 0.7)));
    }

    @Test
    void eachVariantsPassAtKIsTheMeanOverSeedsWithItsInterval() {
        Ablation.Report report = report();
        Ablation.VariantResult sparse = report.variants().get(0);
        assertEquals(List.of(1, 4), report.passAtKs());
        assertEquals(0.45, sparse.passAtK().get(1).estimate(), 1e-12);
        assertEquals(0.75, sparse.passAtK().get(4).estimate(), 1e-12);
        assertEquals(Confidence.mean(new double[] {0.4, 0.5}), sparse.passAtK().get(1));
        assertEquals(0.65, report.variants().get(1).passAtK().get(1).estimate(), 1e-12);
        String summary = report.summary();
        assertTrue(summary.contains("pass@k on held-out tasks"), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("start") && l.contains("0.200 [0.100, 0.300]")
                && l.contains("0.600 [0.500, 0.700]")), summary);
        assertTrue(summary.lines().anyMatch(l -> l.startsWith("task-reward") && l.contains("0.650 [")
                && l.contains("0.700")), summary);
        assertTrue(report.markdown().contains("| variant | pass@1 | pass@4 |"), report.markdown());
    }

    @Test
    void withoutPassAtKTheSummaryHasNoSuchTable() {
        Ablation.Report report = new Ablation(List.of(Variant.parse("sparse")), List.of(0L))
                .run((variant, seed) -> new Ablation.Run(List.of(new Trainer.Evaluation(-1, 0,
                        new Confidence.Interval(0.2, 0.1, 0.3))), new double[0]), (v, s, n, r) -> { }, 1);
        assertEquals(List.of(), report.passAtKs());
        assertFalse(report.summary().contains("pass@"), report.summary());
    }

    @Test
    void theHtmlReportShowsATableAndAChartOfPassAtK(@TempDir Path dir) throws Exception {
        Ablation.Report report = report();
        new ObjectMapper().writeValue(dir.resolve("ablation.json").toFile(), report.toMap());
        Files.writeString(dir.resolve("summary.txt"), report.summary(), StandardCharsets.UTF_8);
        String page = Files.readString(AblationReport.write(dir));
        assertTrue(page.contains("<table id=\"pass-at-k\"><tr><th>variant</th><th>pass@1</th><th>pass@4</th></tr>"),
                page);
        assertTrue(page.contains("<tr><td>start (warm start)</td><td>0.200 [0.100, 0.300]</td>"), page);
        assertTrue(page.contains("<tr><td>sparse</td><td>0.450 ["), page);
        assertEquals(800, ImageIO.read(dir.resolve("plots/pass_at_k.png").toFile()).getWidth());
    }
}

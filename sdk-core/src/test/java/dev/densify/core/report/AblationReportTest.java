package dev.densify.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.core.ablate.Ablation;
import dev.densify.core.ablate.Variant;
import dev.densify.core.train.Confidence;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AblationReportTest {
    static final String HOSTILE = "dense</script><script>alert(1)</script>";

    /** An ablation folder as AblateCommand writes it: ablation.json from Report.toMap and summary.txt. */
    public static Path ablationFolder(Path dir, String secondName) throws Exception {
        Ablation.CurvePoint[] sparse = {
            new Ablation.CurvePoint(-1, 0, new Confidence.Interval(0.2, 0.1, 0.3)),
            new Ablation.CurvePoint(1, 32, new Confidence.Interval(0.3, 0.2, 0.4)),
            new Ablation.CurvePoint(3, 64, new Confidence.Interval(0.4, 0.3, 0.5))};
        Ablation.CurvePoint[] dense = {
            new Ablation.CurvePoint(-1, 0, new Confidence.Interval(0.2, 0.1, 0.3)),
            new Ablation.CurvePoint(1, 30, new Confidence.Interval(0.45, 0.35, 0.55)),
            new Ablation.CurvePoint(3, 62, new Confidence.Interval(0.6, 0.5, 0.7))};
        Confidence.Interval ev = new Confidence.Interval(0.6, 0.5, 0.7);
        Ablation.Report report = new Ablation.Report(List.of(0L, 1L), 0.4, 0.2, List.of(
                new Ablation.VariantResult(new Variant("sparse", List.of("shaper=none")), List.of(sparse),
                        new Confidence.Interval(0.4, 0.3, 0.5), new double[] {0.35, 0.45}, ev, 64,
                        new Confidence.Interval(0, 0, 0), 120.5),
                new Ablation.VariantResult(new Variant("dense", List.of("shaper=potential", "env.note=" + secondName)), List.of(dense),
                        new Confidence.Interval(0.6, 0.5, 0.7), new double[] {0.55, 0.65}, ev, 30,
                        new Confidence.Interval(0.2, 0.1, 0.3), 130.25)));
        Files.createDirectories(dir);
        Map<String, Object> json = report.toMap();
        // Variant names are checked when parsed, but ablation.json is a file anyone may edit: the report trusts neither.
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> variants = (List<Map<String, Object>>) json.get("variants");
        variants.get(1).put("name", secondName);
        new ObjectMapper().writeValue(dir.resolve("ablation.json").toFile(), json);
        Files.writeString(dir.resolve("summary.txt"), report.summary(), StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void curvesTablesAndPngs(@TempDir Path dir) throws Exception {
        Path html = AblationReport.write(ablationFolder(dir, HOSTILE));
        String page = Files.readString(html);
        assertFalse(page.contains("<script>alert(1)"), "variant names are escaped in tables and in the JSON");
        assertTrue(page.contains("dense\\u003c/script\\u003e"), "the name reaches the chart data escaped");
        assertTrue(page.contains("<td>not reached</td>") || page.contains("<td>30</td>"));
        assertTrue(page.contains("<th>seed 1</th>"));
        assertTrue(page.contains("<td>0.650</td>"), "per-seed final success");
        assertTrue(page.contains("<td>130</td>"), "wall time");
        assertTrue(page.contains("<td>+0.200 [+0.100, +0.300]</td>"), "the paired difference of the finals");
        assertTrue(page.contains("<td>-</td><td>-</td><td>64</td>"), "the first variant is the reference: no pairs");
        assertEquals(800, ImageIO.read(dir.resolve("plots/heldout_by_episodes.png").toFile()).getWidth());
    }

    @Test
    void variantsEvaluatedAtDifferentEpisodesShareOneAxis(@TempDir Path dir) throws Exception {
        ablationFolder(dir, "dense");
        AblationReport.write(dir);
        String page = Files.readString(dir.resolve("ablation.html"));
        // episodes 0, 30, 32, 62, 64: each variant has gaps where the other was evaluated
        assertTrue(page.contains("\"x\":[0.0,30.0,32.0,62.0,64.0]"), page.substring(page.indexOf("report-data")));
        assertTrue(page.contains("\"y\":[0.2,null,0.3,null,0.4]"));
    }
}

package dev.densify.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
    /** Two lines shaped like the trainer's, a later one with a new per-phase timing, NaN, and a half-written tail. */
    static final String METRICS = """
            {"iteration":0,"episodes":16,"train_success":0.5,"train_success_low":0.3,"train_success_high":0.7,"kl_to_reference":0.01,"policy_loss":0.3,"clip_fraction":0.04,"entropy":0.13,"critic_heldout_ev":"NaN","critic_calibration_error":0.3,"critic_train_loss":0.1,"value_by_step":[0.1,0.2],"reward_sparse_mean":0.1,"reward_sparse_std":0.3,"reward_sparse_min":0.0,"reward_sparse_max":1.0,"reward_dense_mean":0.0,"reward_dense_std":0.2,"reward_dense_min":-0.5,"reward_dense_max":0.5,"episodes_per_s":20.0,"tokens_per_s":800.0,"train_tokens_per_s":6000.0,"failures":{},"alarm_value_without_success":false,"seconds":3.7}
            {"iteration":1,"episodes":32,"train_success":0.6,"train_success_low":0.4,"train_success_high":0.8,"heldout_success":0.55,"heldout_success_low":0.35,"heldout_success_high":0.74,"kl_to_reference":0.03,"policy_loss":-0.1,"clip_fraction":0.03,"entropy":0.12,"critic_heldout_ev":0.2,"critic_calibration_error":0.2,"critic_train_loss":0.09,"value_by_step":[0.5,0.6,0.7],"reward_sparse_mean":0.05,"reward_sparse_std":0.2,"reward_sparse_min":0.0,"reward_sparse_max":1.0,"reward_dense_mean":0.01,"reward_dense_std":0.2,"reward_dense_min":-0.5,"reward_dense_max":0.5,"episodes_per_s":12.0,"tokens_per_s":900.0,"train_tokens_per_s":6300.0,"failures":{"timeout":2},"alarm_value_without_success":true,"seconds":6.9,"time_collect_s":4.1,"brand_new_metric":7}
            {"iteration":2,"episodes":48,"train_succ""";

    static Path runFolder(Path dir) throws Exception {
        Files.writeString(dir.resolve("config.yaml"), "env:\n  size: 5\n  note: \"</pre><script>alert(1)</script>\"\n");
        Files.writeString(dir.resolve("metrics.jsonl"), METRICS, StandardCharsets.UTF_8);
        return dir;
    }

    @Test
    void chartsCoverWhatTheMetricsHoldAndMissingValuesAreGaps(@TempDir Path dir) throws Exception {
        List<Chart> charts = RunCharts.of(RunMetrics.read(runFolder(dir)));
        List<String> ids = charts.stream().map(Chart::id).toList();
        assertTrue(ids.containsAll(List.of("success", "kl", "policy_loss", "entropy", "clip_fraction", "critic_fit",
                "critic_loss", "value_by_step", "rewards", "reward_range", "tokens_per_s", "episodes_per_s", "time",
                "failures", "alarm", "metric_brand_new_metric")), ids.toString());
        Chart success = charts.get(ids.indexOf("success"));
        assertEquals(2, success.series().size());
        Chart.Series heldout = success.series().get(1);
        assertNull(heldout.y()[0], "held-out success was not measured at iteration 0");
        assertEquals(0.55, heldout.y()[1]);
        assertEquals(0.74, heldout.high()[1]);
        Chart fit = charts.get(ids.indexOf("critic_fit"));
        assertNull(fit.series().get(0).y()[0], "NaN is a gap");
        Chart time = charts.get(ids.indexOf("time"));
        assertEquals(List.of("seconds", "time_collect_s"), time.series().stream().map(Chart.Series::label).toList());
        assertNull(time.series().get(1).y()[0]);
        Chart failures = charts.get(ids.indexOf("failures"));
        assertEquals(0.0, failures.series().get(0).y()[0]);
        assertEquals(2.0, failures.series().get(0).y()[1]);
        Chart values = charts.get(ids.indexOf("value_by_step"));
        assertEquals(3, values.x().length);
        assertFalse(ids.contains("metric_train_success_low"), "band keys belong to their chart");
    }

    @Test
    void writesSelfContainedEscapedHtmlAndPngs(@TempDir Path dir) throws Exception {
        Path html = RunReport.write(runFolder(dir));
        String page = Files.readString(html);
        assertTrue(page.contains("uPlot"), "the plotting library is inlined");
        assertFalse(page.contains("src=\"http"), "nothing is loaded from the network");
        assertFalse(page.contains("<script>alert(1)"), "configuration text is escaped");
        assertTrue(page.contains("&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"));
        BufferedImage png = ImageIO.read(dir.resolve("plots/success.png").toFile());
        assertEquals(800, png.getWidth());
        assertTrue(Files.isRegularFile(dir.resolve("plots/time.png")));
        assertFalse(Files.exists(dir.resolve("plots/metric_brand_new_metric.png")), "unnamed metrics: in the page only");
        assertTrue(page.contains("\"id\":\"metric_brand_new_metric\""), "a metric added later is charted in the page");
    }

    @Test
    void scriptJsonCannotCloseTheScript() {
        String json = Html.scriptJson(List.of("</script><img src=x onerror=alert(1)>&\u2028"));
        assertFalse(json.contains("<") || json.contains(">") || json.contains("&"), json);
        assertEquals("[\"\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\\u0026\\u2028\"]", json);
        assertEquals("&lt;a href=&quot;x&quot; b=&#39;y&#39;&gt;&amp;", Html.text("<a href=\"x\" b='y'>&"));
        assertEquals("a&#13;\nb\t&#27;", Html.text("a\r\nb\t\u001b"), "a browser would turn a raw CR into LF");
        assertEquals("a\u2400b", Html.text("a\0b"));
        assertEquals("a\u2400b", Html.shown("a\0b"));
    }
}

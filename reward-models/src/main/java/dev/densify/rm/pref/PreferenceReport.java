package dev.densify.rm.pref;

import dev.densify.api.API;
import dev.densify.core.report.Chart;
import dev.densify.core.report.Html;
import dev.densify.core.report.PngCharts;
import dev.densify.core.report.ReportPage;
import dev.densify.rm.metrics.Estimate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The evaluation as files: {@code report.html} (metrics tables and the score distributions, drawn in the page like
 * the run reports; every text from the data escaped), one PNG of the score distributions per module under
 * {@code plots/}, and {@code metrics.json}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class PreferenceReport {
    /** Bins of the score histograms. */
    static final int BINS = 20;

    private PreferenceReport() {}

    /** Writes the report into {@code folder} and returns the page's path. */
    public static Path write(Path folder, String title, PreferenceEvaluation evaluation,
                             List<PreferenceTrainer.Epoch> history, List<String> notes) throws IOException {
        Files.createDirectories(folder);
        List<Chart> charts = new ArrayList<>();
        for (PreferenceEvaluation.ModuleResult result : evaluation.modules()) {
            charts.add(distribution(result));
        }
        if (evaluation.modules().size() > 1) {
            charts.add(distribution(evaluation.overall()));
        }
        PngCharts.write(charts, folder.resolve("plots"));
        StringBuilder body = new StringBuilder();
        body.append("<h2>Held-out metrics (95% bootstrap intervals over pairs)</h2>\n<table><tr><th>module</th>"
                + "<th>pairs</th><th>pairwise accuracy</th><th>ROC-AUC</th><th>separation</th></tr>\n");
        List<PreferenceEvaluation.ModuleResult> rows = new ArrayList<>(evaluation.modules());
        rows.add(evaluation.overall());
        for (PreferenceEvaluation.ModuleResult r : rows) {
            body.append("<tr><td>").append(Html.text(r.module())).append("</td><td>").append(r.metrics().pairs())
                    .append("</td><td>").append(Html.text(cell(r.metrics().accuracy())))
                    .append("</td><td>").append(Html.text(cell(r.metrics().auc())))
                    .append("</td><td>").append(Html.text(cell(r.metrics().separation()))).append("</td></tr>\n");
        }
        body.append("</table>\n");
        if (!history.isEmpty()) {
            body.append("<h2>Training</h2>\n<table><tr><th>stage</th><th>epoch</th><th>train loss</th>"
                    + "<th>validation loss</th><th>validation accuracy</th><th>learning rate</th></tr>\n");
            for (PreferenceTrainer.Epoch e : history) {
                body.append(String.format(Locale.ROOT, "<tr><td>%d</td><td>%d</td><td>%.4f</td><td>%.4f</td>"
                        + "<td>%.3f</td><td>%.2e</td></tr>%n", e.stage(), e.epoch(), e.trainLoss(), e.validationLoss(),
                        e.validationAccuracy(), e.learningRate()));
            }
            body.append("</table>\n");
        }
        if (!notes.isEmpty()) {
            body.append("<h2>Notes</h2>\n<ul>\n");
            notes.forEach(n -> body.append("<li>").append(Html.text(n)).append("</li>\n"));
            body.append("</ul>\n");
        }
        Files.writeString(folder.resolve("metrics.json"), new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter().writeValueAsString(metrics(evaluation)));
        Path page = folder.resolve("report.html");
        ReportPage.write(page, ReportPage.render(title, charts, body.toString()));
        return page;
    }

    /** The metrics as plain values: per module and "all", each estimate as value, low, high. */
    public static java.util.Map<String, Object> metrics(PreferenceEvaluation evaluation) {
        java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
        List<PreferenceEvaluation.ModuleResult> rows = new ArrayList<>(evaluation.modules());
        rows.add(evaluation.overall());
        for (PreferenceEvaluation.ModuleResult r : rows) {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("pairs", r.metrics().pairs());
            m.put("pairwise_accuracy", estimate(r.metrics().accuracy()));
            m.put("roc_auc", estimate(r.metrics().auc()));
            m.put("separation", estimate(r.metrics().separation()));
            out.put(r.module(), m);
        }
        return out;
    }

    private static java.util.Map<String, Object> estimate(Estimate e) {
        return java.util.Map.of("value", e.value(), "low", e.low(), "high", e.high(), "level", e.level());
    }

    private static String cell(Estimate e) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", e.value(), e.low(), e.high());
    }

    /** The histogram of the preferred and the rejected sides' scores over shared bins, as fractions. */
    static Chart distribution(PreferenceEvaluation.ModuleResult result) {
        double min = Math.min(Arrays.stream(result.positive()).min().orElseThrow(),
                Arrays.stream(result.negative()).min().orElseThrow());
        double max = Math.max(Arrays.stream(result.positive()).max().orElseThrow(),
                Arrays.stream(result.negative()).max().orElseThrow());
        double width = max > min ? (max - min) / BINS : 1;
        double[] x = new double[BINS];
        for (int b = 0; b < BINS; b++) {
            x[b] = min + (b + 0.5) * width;
        }
        return new Chart("scores-" + fileName(result.module()), "Reward distribution: " + result.module(), "reward",
                "fraction of sides", x, List.of(
                        Chart.Series.line("preferred (positive)", histogram(result.positive(), min, width)),
                        Chart.Series.line("rejected (negative)", histogram(result.negative(), min, width))));
    }

    private static Double[] histogram(double[] values, double min, double width) {
        Double[] out = new Double[BINS];
        Arrays.fill(out, 0.0);
        for (double v : values) {
            int b = Math.min(BINS - 1, Math.max(0, (int) ((v - min) / width)));
            out[b] += 1.0 / values.length;
        }
        return out;
    }

    /** A module name as a safe file name part: letters, digits, '-' and '_' kept, the rest '_'. */
    static String fileName(String module) {
        return module.replaceAll("[^A-Za-z0-9_-]", "_");
    }
}

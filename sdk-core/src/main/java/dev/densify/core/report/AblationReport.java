package dev.densify.core.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.densify.api.API;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;

/**
 * An ablation folder's {@code ablation.html} and {@code plots/*.png}, from its {@code ablation.json} and
 * {@code summary.txt}: each variant's held-out learning curve over training episodes with its 95% band, the
 * per-seed final success, episodes to reach the reference level and wall time, with links to every run's report.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AblationReport {
    public static final String FILE_NAME = "ablation.html";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AblationReport() {}

    public static Path write(Path folder) {
        Objects.requireNonNull(folder, "folder");
        Path json = folder.resolve("ablation.json");
        JsonNode root;
        try {
            root = JSON.readTree(json.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + json, e);
        }
        JsonNode variants = root.path("variants");
        List<Chart> charts = List.of(curves(variants, "episodes", "episodes"),
                curves(variants, "iteration", "iteration"), passAtKChart(root)).stream().filter(Chart::hasData).toList();
        PngCharts.write(charts, folder.resolve(RunReport.PLOTS));

        StringBuilder body = new StringBuilder();
        JsonNode seeds = root.path("seeds");
        body.append("<h2>Results</h2>\n<p>Reference level: ").append(format(root.path("reference_level")))
                .append(" (final held-out success of the first variant).</p>\n");
        body.append("<table id=\"variants\"><tr><th>variant</th><th>overrides</th><th>final success [95% CI]</th>"
                + "<th>final vs first (paired)</th><th>curve mean vs first (paired)</th>"
                + "<th>episodes to reach level</th><th>wall s</th></tr>\n");
        boolean first = true;
        for (JsonNode v : variants) {
            JsonNode f = v.path("final_success");
            long reach = v.path("episodes_to_reach_level").asLong(-1);
            List<String> overrides = new ArrayList<>();
            v.path("overrides").forEach(o -> overrides.add(o.asText()));
            body.append("<tr><td>").append(Html.text(v.path("name").asText())).append("</td><td>")
                    .append(Html.text(String.join(" ", overrides))).append("</td><td>")
                    .append(format(f.path("mean"))).append(" [").append(format(f.path("low"))).append(", ")
                    .append(format(f.path("high"))).append("]</td><td>")
                    .append(first ? "-" : signed(v.path("paired_difference"))).append("</td><td>")
                    .append(first ? "-" : signed(v.path("paired_curve_mean_difference"))).append("</td><td>")
                    .append(reach < 0 ? "not reached" : Long.toString(reach)).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.0f", v.path("wall_seconds").asDouble())).append("</td></tr>\n");
            first = false;
        }
        body.append("</table>\n<h2>Final held-out success per seed</h2>\n<table id=\"seeds\"><tr><th>variant</th>");
        for (JsonNode s : seeds) {
            body.append("<th>seed ").append(Html.text(s.asText())).append("</th>");
        }
        body.append("</tr>\n");
        for (JsonNode v : variants) {
            String name = v.path("name").asText();
            body.append("<tr><td>").append(Html.text(name)).append("</td>");
            JsonNode perSeed = v.path("final_success_per_seed");
            for (int i = 0; i < seeds.size(); i++) {
                String run = name + "-seed" + seeds.get(i).asText();
                body.append("<td>").append(i < perSeed.size() ? format(perSeed.get(i)) : "-");
                if (Files.isRegularFile(folder.resolve(run).resolve(RunReport.FILE_NAME))) {
                    body.append(" <a href=\"").append(Html.text(run + "/" + RunReport.FILE_NAME))
                            .append("\">report</a>");
                }
                body.append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
        passAtKTable(root, body);
        Path summary = folder.resolve("summary.txt");
        if (Files.isRegularFile(summary)) {
            try {
                body.append("<h2>summary.txt</h2>\n<pre id=\"summary\">")
                        .append(Html.text(Files.readString(summary, StandardCharsets.UTF_8))).append("</pre>\n");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + summary, e);
            }
        }
        String title = "densify ablation " + folder.toAbsolutePath().normalize().getFileName();
        Path file = folder.resolve(FILE_NAME);
        ReportPage.write(file, ReportPage.render(title, charts, body.toString()));
        return file;
    }

    /** The k that pass@k was measured for, by the warm start or any variant, in order. */
    private static List<Integer> passAtKs(JsonNode root) {
        TreeSet<Integer> ks = new TreeSet<>();
        root.path("start_pass_at_k").fieldNames().forEachRemaining(k -> ks.add(Integer.parseInt(k)));
        root.path("variants").forEach(v -> v.path("pass_at_k").fieldNames()
                .forEachRemaining(k -> ks.add(Integer.parseInt(k))));
        return new ArrayList<>(ks);
    }

    /** The rows of the pass@k table and chart: the warm start (when measured), then every variant. */
    private static List<java.util.Map.Entry<String, JsonNode>> passAtKRows(JsonNode root) {
        List<java.util.Map.Entry<String, JsonNode>> rows = new ArrayList<>();
        if (!root.path("start_pass_at_k").isEmpty()) {
            rows.add(java.util.Map.entry("start (warm start)", root.path("start_pass_at_k")));
        }
        root.path("variants").forEach(v -> rows.add(java.util.Map.entry(v.path("name").asText(), v.path("pass_at_k"))));
        return rows;
    }

    private static void passAtKTable(JsonNode root, StringBuilder body) {
        List<Integer> ks = passAtKs(root);
        if (ks.isEmpty()) {
            return;
        }
        body.append("<h2>pass@k of the final policies</h2>\n<p>Held-out tasks, mean over seeds with its 95% t-interval"
                + " (the warm start: 95% bootstrap interval over tasks). pass@1 rising while the largest k does not"
                + " means RL sharpened the policy rather than taught it more.</p>\n<table id=\"pass-at-k\"><tr>"
                + "<th>variant</th>");
        ks.forEach(k -> body.append("<th>pass@").append(k).append("</th>"));
        body.append("</tr>\n");
        for (var row : passAtKRows(root)) {
            body.append("<tr><td>").append(Html.text(row.getKey())).append("</td>");
            for (int k : ks) {
                JsonNode i = row.getValue().path(Integer.toString(k));
                body.append("<td>").append(i.isMissingNode() ? "-" : format(i.path("mean")) + " ["
                        + format(i.path("low")) + ", " + format(i.path("high")) + "]").append("</td>");
            }
            body.append("</tr>\n");
        }
        body.append("</table>\n");
    }

    /** pass@k against k, one banded line per variant and the warm start. */
    private static Chart passAtKChart(JsonNode root) {
        List<Integer> ks = passAtKs(root);
        double[] x = ks.stream().mapToDouble(Integer::doubleValue).toArray();
        List<Chart.Series> series = new ArrayList<>();
        for (var row : passAtKRows(root)) {
            Double[] mean = new Double[x.length];
            Double[] low = new Double[x.length];
            Double[] high = new Double[x.length];
            for (int i = 0; i < x.length; i++) {
                JsonNode p = row.getValue().path(Integer.toString(ks.get(i)));
                mean[i] = RunMetrics.number(p.path("mean").numberValue());
                low[i] = RunMetrics.number(p.path("low").numberValue());
                high[i] = RunMetrics.number(p.path("high").numberValue());
            }
            series.add(new Chart.Series(row.getKey(), mean, low, high));
        }
        return new Chart("pass_at_k", "pass@k of the final policies on held-out tasks (95% CI)", "k", "pass@k", x,
                series);
    }

    /** One banded line per variant over the union of the variants' x values. */
    private static Chart curves(JsonNode variants, String xKey, String xLabel) {
        TreeSet<Double> xs = new TreeSet<>();
        variants.forEach(v -> v.path("curve").forEach(p -> xs.add(p.path(xKey).asDouble())));
        double[] x = xs.stream().mapToDouble(Double::doubleValue).toArray();
        List<Double> index = new ArrayList<>(xs);
        List<Chart.Series> series = new ArrayList<>();
        for (JsonNode v : variants) {
            Double[] mean = new Double[x.length];
            Double[] low = new Double[x.length];
            Double[] high = new Double[x.length];
            for (JsonNode p : v.path("curve")) {
                int i = index.indexOf(p.path(xKey).asDouble());
                mean[i] = RunMetrics.number(p.path("mean").numberValue());
                low[i] = RunMetrics.number(p.path("low").numberValue());
                high[i] = RunMetrics.number(p.path("high").numberValue());
            }
            series.add(new Chart.Series(v.path("name").asText(), mean, low, high));
        }
        return new Chart("heldout_by_" + xKey, "Held-out success by " + xLabel + " (mean over seeds, 95% CI)",
                xLabel, "held-out success", x, series);
    }

    /** A paired difference "+m [+lo, +hi]", or "-" where there is none (absent, or not comparable: NaN). */
    private static String signed(JsonNode interval) {
        JsonNode mean = interval.path("mean");
        if (!mean.isNumber() || !Double.isFinite(mean.asDouble())) {
            return "-";
        }
        return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", mean.asDouble(), interval.path("low").asDouble(),
                interval.path("high").asDouble());
    }

    private static String format(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.3f", n.asDouble()) : Html.text(n.asText());
    }
}

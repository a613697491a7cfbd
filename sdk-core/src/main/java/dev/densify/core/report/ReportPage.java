package dev.densify.core.report;

import dev.densify.api.API;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The page both reports share: a heading, the charts drawn in the page by the inlined uPlot from JSON embedded in
 * the page, then sections of escaped HTML. The page loads nothing from anywhere. Public for the other reports
 * (the reward model's), which build their pages the same way.
 */
@API(status = API.Status.INTERNAL, since = "0.2")
public final class ReportPage {
    private ReportPage() {}

    /** The in-page renderer: reads the embedded JSON (never HTML) and draws each chart into its own div. */
    private static final String RENDER = """
            (function () {
              var doc = JSON.parse(document.getElementById('report-data').textContent);
              var colors = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
              function rgba(hex, a) {
                var n = parseInt(hex.slice(1), 16);
                return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + a + ')';
              }
              function tick(u, splits) {
                return splits.map(function (v) { return v == null ? '' : String(Number(v.toPrecision(4))); });
              }
              var container = document.getElementById('charts');
              doc.charts.forEach(function (c) {
                var box = document.createElement('div');
                box.className = 'chart';
                box.id = 'chart-' + c.id;
                container.appendChild(box);
                var data = [c.x];
                var series = [{label: c.xLabel}];
                var bands = [];
                var hidden = [];
                c.series.forEach(function (s, i) {
                  var color = colors[i % colors.length];
                  data.push(s.y);
                  var line = data.length - 1;
                  series.push({label: s.label, stroke: color, width: 2, spanGaps: true, points: {show: c.x.length < 30}});
                  if (s.low) {
                    data.push(s.high); data.push(s.low);
                    series.push({label: s.label + ' high', stroke: rgba(color, 0.3), width: 1, spanGaps: true, points: {show: false}});
                    series.push({label: s.label + ' low', stroke: rgba(color, 0.3), width: 1, spanGaps: true, points: {show: false}});
                    bands.push({series: [line + 1, line + 2], fill: rgba(color, 0.15)});
                    hidden.push(line + 1, line + 2);
                  }
                });
                var opts = {title: c.title, width: Math.min(760, window.innerWidth - 40), height: 300,
                  series: series, bands: bands, scales: {x: {time: false}},
                  axes: [{label: c.xLabel, values: tick}, {label: c.yLabel, values: tick, size: 70}]};
                var plot = new uPlot(opts, data, box);
                // the band edges are drawn, but their legend entries would only repeat the line's
                var rows = plot.root.querySelectorAll('.u-legend .u-series');
                hidden.forEach(function (i) { if (rows[i]) { rows[i].style.display = 'none'; } });
              });
              document.body.setAttribute('data-charts-drawn', String(doc.charts.length));
            })();
            """;

    /** The page: {@code bodyHtml} must already be escaped HTML (see {@link Html#text}). */
    public static String render(String title, List<Chart> charts, String bodyHtml) {
        StringBuilder out = new StringBuilder(80_000);
        out.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        out.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'unsafe-inline';"
                + " style-src 'unsafe-inline'; img-src 'self' data:\">");
        out.append("<title>").append(Html.text(title)).append("</title>");
        out.append("<style>").append(Html.resource(Html.UPLOT_CSS).replace("</style", "<\\/style")).append("""
                body{font-family:sans-serif;margin:20px;color:#222}
                .chart{display:inline-block;margin:8px;vertical-align:top}
                pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:600px}
                table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}
                th:first-child,td:first-child{text-align:left}
                </style></head><body>
                """);
        out.append("<h1>").append(Html.text(title)).append("</h1>\n");
        out.append("<div id=\"charts\"></div>\n");
        out.append(bodyHtml);
        out.append("<script>").append(Html.inlineScript(Html.resource(Html.UPLOT_JS))).append("</script>\n");
        out.append("<script type=\"application/json\" id=\"report-data\">")
                .append(Html.scriptJson(Map.of("charts", charts.stream().map(Chart::toMap).toList())))
                .append("</script>\n");
        out.append("<script>").append(RENDER).append("</script>\n</body></html>\n");
        return out.toString();
    }

    /** Replaces the file whole, so that a browser opening it mid-run never sees half a page. */
    public static void write(Path file, String html) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}

package dev.densify.core.report;

import dev.densify.api.API;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A run folder's {@code report.html} and {@code plots/*.png}, from its {@code config.yaml} and
 * {@code metrics.jsonl}. Safe to call while the run appends: it reads what is there and replaces the files whole.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RunReport {
    public static final String FILE_NAME = "report.html";
    public static final String PLOTS = "plots";

    private RunReport() {}

    /** Writes the report of the run folder with its PNG plots and returns the HTML file. */
    public static Path write(Path runFolder) {
        return write(runFolder, true);
    }

    /**
     * Writes the report, and the PNG plots too if asked (they cost most of the time: about a second on a busy
     * machine, against milliseconds for the page). The plots are those of the named charts; a metric without a
     * chart of its own is plotted in the page only.
     */
    public static Path write(Path runFolder, boolean plots) {
        Objects.requireNonNull(runFolder, "runFolder");
        RunMetrics metrics = RunMetrics.read(runFolder);
        List<Chart> charts = RunCharts.of(metrics);
        List<Chart> named = charts.stream().filter(c -> !c.id().startsWith(RunCharts.OTHER)).toList();
        if (plots) {
            PngCharts.write(named, runFolder.resolve(PLOTS));
        }
        String name = runFolder.toAbsolutePath().normalize().getFileName() == null ? "run"
                : runFolder.toAbsolutePath().normalize().getFileName().toString();
        StringBuilder body = new StringBuilder();
        body.append("<p>").append(metrics.size()).append(" iterations in metrics.jsonl. PNG plots: ");
        for (Chart c : named) {
            String href = PLOTS + "/" + c.id() + ".png";
            body.append("<a href=\"").append(Html.text(href)).append("\">").append(Html.text(c.id())).append("</a> ");
        }
        body.append("</p>\n");
        body.append("<h2>Configuration</h2>\n<pre id=\"config\">").append(Html.text(config(runFolder)))
                .append("</pre>\n");
        Path file = runFolder.resolve(FILE_NAME);
        ReportPage.write(file, ReportPage.render("densify run " + name, charts, body.toString()));
        return file;
    }

    private static String config(Path runFolder) {
        Path file = runFolder.resolve("config.yaml");
        if (!Files.isRegularFile(file)) {
            return "(no config.yaml)";
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}

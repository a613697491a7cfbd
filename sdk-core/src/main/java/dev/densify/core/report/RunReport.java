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

    /** Writes the report of the run folder and returns the HTML file. */
    public static Path write(Path runFolder) {
        Objects.requireNonNull(runFolder, "runFolder");
        RunMetrics metrics = RunMetrics.read(runFolder);
        List<Chart> charts = RunCharts.of(metrics);
        PngCharts.write(charts, runFolder.resolve(PLOTS));
        String name = runFolder.toAbsolutePath().normalize().getFileName() == null ? "run"
                : runFolder.toAbsolutePath().normalize().getFileName().toString();
        StringBuilder body = new StringBuilder();
        body.append("<p>").append(metrics.size()).append(" iterations in metrics.jsonl. PNG plots: ");
        for (Chart c : charts) {
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

package dev.densify.core.report;

import dev.densify.api.API;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/** Renders {@link Chart}s as PNG files, headless, for papers and chat. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class PngCharts {
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private PngCharts() {}

    /** Writes one PNG per chart into {@code folder} as {@code <id>.png} (each replaced whole, never half-written). */
    public static void write(List<Chart> charts, Path folder) {
        try {
            Files.createDirectories(folder);
            for (Chart chart : charts) {
                Path target = folder.resolve(chart.id() + ".png");
                Path tmp = folder.resolve(chart.id() + ".png.tmp");
                ChartUtils.saveChartAsPNG(tmp.toFile(), render(chart), 800, 420);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plots to " + folder, e);
        }
    }

    static JFreeChart render(Chart chart) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        for (Chart.Series s : chart.series()) {
            YIntervalSeries series = new YIntervalSeries(s.label(), false, true);
            for (int i = 0; i < chart.x().length; i++) {
                Double y = s.y()[i];
                if (y == null) {
                    continue;
                }
                double low = y;
                double high = y;
                if (s.banded() && s.low()[i] != null && s.high()[i] != null) {
                    low = s.low()[i];
                    high = s.high()[i];
                }
                series.add(chart.x()[i], y, low, high);
            }
            data.addSeries(series);
        }
        DeviationRenderer renderer = new DeviationRenderer(true, chart.x().length < 30);
        for (int i = 0; i < chart.series().size(); i++) {
            Color c = PALETTE[i % PALETTE.length];
            renderer.setSeriesPaint(i, c);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            renderer.setSeriesFillPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
        }
        renderer.setAlpha(1f);
        NumberAxis xAxis = new NumberAxis(chart.xLabel());
        xAxis.setAutoRangeIncludesZero(false);
        NumberAxis yAxis = new NumberAxis(chart.yLabel());
        yAxis.setAutoRangeIncludesZero(false);
        XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        JFreeChart out = new JFreeChart(chart.title(), JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        out.setBackgroundPaint(Color.WHITE);
        return out;
    }
}

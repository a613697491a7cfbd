package dev.densify.core.report;

import dev.densify.api.API;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One chart of a report, drawn the same way in the page (uPlot) and as a PNG (JFreeChart): lines over a shared x
 * axis, each optionally with a band (a confidence interval, or mean ± std). A {@code null} y is a missing point
 * (not measured at that x, or not a finite number).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Chart(String id, String title, String xLabel, String yLabel, double[] x, List<Series> series) {
    public Chart {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        Objects.requireNonNull(x, "x");
        series = List.copyOf(series);
        for (Series s : series) {
            if (s.y().length != x.length) {
                throw new IllegalArgumentException("series " + s.label() + " has " + s.y().length + " points for "
                        + x.length + " x values");
            }
        }
    }

    /** One line; {@code low} and {@code high} are both empty (no band) or as long as {@code y}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Series(String label, Double[] y, Double[] low, Double[] high) {
        public Series {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(y, "y");
            Objects.requireNonNull(low, "low");
            Objects.requireNonNull(high, "high");
            if (low.length != high.length || (low.length != 0 && low.length != y.length)) {
                throw new IllegalArgumentException("series " + label + ": band and line differ in length");
            }
        }

        public static Series line(String label, Double[] y) {
            return new Series(label, y, new Double[0], new Double[0]);
        }

        public boolean banded() {
            return low.length > 0;
        }

        /** True when at least one point is present. */
        public boolean hasData() {
            for (Double v : y) {
                if (v != null) {
                    return true;
                }
            }
            return false;
        }
    }

    /** True when some series has a point. */
    public boolean hasData() {
        return series.stream().anyMatch(Series::hasData);
    }

    /** The chart as plain values for the page's embedded JSON. */
    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", id);
        out.put("title", title);
        out.put("xLabel", xLabel);
        out.put("yLabel", yLabel);
        out.put("x", x);
        out.put("series", series.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", s.label());
            m.put("y", s.y());
            if (s.banded()) {
                m.put("low", s.low());
                m.put("high", s.high());
            }
            return m;
        }).toList());
        return out;
    }
}

package dev.densify.core.report;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The charts of a run report, chosen from the metrics a run wrote. The known metrics are grouped into the charts
 * below; a scalar metric none of them claims (one added to the trainer later) still gets a chart of its own, and
 * per-phase timings {@code time_<phase>_s} join the time split whenever they appear.
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class RunCharts {
    private static final Pattern PHASE_TIME = Pattern.compile("time_[a-z0-9_]+_s");
    private static final Pattern CRITIC_EV = Pattern.compile("critic_[a-z0-9_]*ev");
    private static final Pattern CRITIC_LOSS = Pattern.compile("critic_[a-z0-9_]*loss");
    /** How many iterations' V(s)-by-step curves one chart shows at most. */
    private static final int VALUE_CURVES = 6;
    /** The id prefix of the charts of metrics no named chart claims. */
    static final String OTHER = "metric_";

    private RunCharts() {}

    public static List<Chart> of(RunMetrics m) {
        double[] x = m.iterations();
        Set<String> keys = m.scalarKeys();
        Set<String> used = new HashSet<>(Set.of("iteration"));
        List<Chart> charts = new ArrayList<>();

        List<Chart.Series> success = new ArrayList<>();
        for (String prefix : List.of("train", "heldout")) {
            String key = prefix + "_success";
            if (keys.contains(key)) {
                success.add(new Chart.Series(prefix.equals("train") ? "training tasks" : "held-out tasks",
                        m.column(key), m.column(key + "_low"), m.column(key + "_high")));
                used.addAll(List.of(key, key + "_low", key + "_high"));
            }
        }
        add(charts, new Chart("success", "Task success (95% Wilson interval)", "iteration", "success", x, success));
        lines(charts, m, x, keys, used, "kl", "KL to the reference policy", List.of("kl_to_reference"));
        lines(charts, m, x, keys, used, "policy_loss", "Policy loss", List.of("policy_loss"));
        lines(charts, m, x, keys, used, "entropy", "Entropy of the policy", List.of("entropy"));
        lines(charts, m, x, keys, used, "clip_fraction", "Clip fraction", List.of("clip_fraction"));
        List<String> fit = new ArrayList<>(keys.stream().filter(k -> CRITIC_EV.matcher(k).matches()).toList());
        if (keys.contains("critic_calibration_error")) {
            fit.add("critic_calibration_error");
        }
        lines(charts, m, x, keys, used, "critic_fit", "Critic fit: explained variance and calibration error", fit);
        lines(charts, m, x, keys, used, "critic_loss", "Critic loss",
                keys.stream().filter(k -> CRITIC_LOSS.matcher(k).matches()).toList());
        charts.addAll(valueByStep(m));
        for (String kind : List.of("sparse", "dense")) {
            String p = "reward_" + kind;
            used.addAll(List.of(p + "_mean", p + "_std", p + "_min", p + "_max"));
        }
        add(charts, rewards(m, x, "mean ± std", "_std"));
        add(charts, minMax(m, x));
        lines(charts, m, x, keys, used, "tokens_per_s", "Throughput: tokens per second",
                List.of("tokens_per_s", "train_tokens_per_s"));
        lines(charts, m, x, keys, used, "episodes_per_s", "Throughput: episodes per second", List.of("episodes_per_s"));
        List<String> time = new ArrayList<>(keys.stream().filter(k -> PHASE_TIME.matcher(k).matches()).toList());
        if (keys.contains("seconds")) {
            time.add(0, "seconds");
        }
        lines(charts, m, x, keys, used, "time", "Time per iteration and per phase (s)", time);
        List<Chart.Series> failures = new ArrayList<>();
        for (String reason : m.mapKeys("failures")) {
            failures.add(Chart.Series.line(reason, m.mapColumn("failures", reason)));
        }
        add(charts, new Chart("failures", "Dropped episodes by reason", "iteration", "episodes", x, failures));
        lines(charts, m, x, keys, used, "alarm", "Reward-hacking alarm (1 = raised)",
                List.of("alarm_value_without_success"));
        for (String key : keys) {
            if (!used.contains(key)) {
                lines(charts, m, x, keys, used, OTHER + key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_"),
                        key, List.of(key));
            }
        }
        return charts;
    }

    private static void lines(List<Chart> charts, RunMetrics m, double[] x, Set<String> keys, Set<String> used,
                              String id, String title, List<String> names) {
        List<Chart.Series> series = new ArrayList<>();
        for (String key : names) {
            if (keys.contains(key)) {
                series.add(Chart.Series.line(key, m.column(key)));
                used.add(key);
            }
        }
        add(charts, new Chart(id, title, "iteration", "", x, series));
    }

    private static void add(List<Chart> charts, Chart chart) {
        if (chart.hasData()) {
            charts.add(chart);
        }
    }

    private static Chart rewards(RunMetrics m, double[] x, String what, String spread) {
        List<Chart.Series> series = new ArrayList<>();
        for (String kind : List.of("sparse", "dense")) {
            Double[] mean = m.column("reward_" + kind + "_mean");
            Double[] sd = m.column("reward_" + kind + spread);
            Double[] low = new Double[mean.length];
            Double[] high = new Double[mean.length];
            for (int i = 0; i < mean.length; i++) {
                if (mean[i] != null && sd[i] != null) {
                    low[i] = mean[i] - sd[i];
                    high[i] = mean[i] + sd[i];
                }
            }
            series.add(new Chart.Series(kind + " reward", mean, low, high));
        }
        return new Chart("rewards", "Per-step reward, sparse vs dense (" + what + ")", "iteration", "reward", x, series);
    }

    private static Chart minMax(RunMetrics m, double[] x) {
        List<Chart.Series> series = new ArrayList<>();
        for (String kind : List.of("sparse", "dense")) {
            for (String stat : List.of("min", "max")) {
                series.add(Chart.Series.line(kind + " " + stat, m.column("reward_" + kind + "_" + stat)));
            }
        }
        return new Chart("reward_range", "Per-step reward range, sparse vs dense", "iteration", "reward", x, series);
    }

    /** Mean V(s_t) by step t, for a few iterations spread over the run (always the first and the last). */
    private static List<Chart> valueByStep(RunMetrics m) {
        int n = m.size();
        if (n == 0) {
            return List.of();
        }
        Set<Integer> rows = new java.util.TreeSet<>();
        for (int k = 0; k < VALUE_CURVES; k++) {
            rows.add((int) Math.round((double) k * (n - 1) / Math.max(1, VALUE_CURVES - 1)));
        }
        int longest = 0;
        for (int r : rows) {
            longest = Math.max(longest, m.list(r, "value_by_step").size());
        }
        if (longest == 0) {
            return List.of();
        }
        double[] steps = new double[longest];
        for (int t = 0; t < longest; t++) {
            steps[t] = t;
        }
        double[] iterations = m.iterations();
        List<Chart.Series> series = new ArrayList<>();
        for (int r : rows) {
            List<Double> v = m.list(r, "value_by_step");
            Double[] y = new Double[longest];
            for (int t = 0; t < v.size(); t++) {
                y[t] = v.get(t);
            }
            series.add(Chart.Series.line("iteration " + (long) iterations[r], y));
        }
        Chart chart = new Chart("value_by_step", "Mean V(s) by step", "step", "V(s)", steps, series);
        return chart.hasData() ? List.of(chart) : List.of();
    }
}

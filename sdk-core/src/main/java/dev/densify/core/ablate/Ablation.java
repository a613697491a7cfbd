package dev.densify.core.ablate;

import dev.densify.api.API;
import dev.densify.core.train.Confidence;
import dev.densify.core.train.Trainer.Evaluation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.TreeMap;

/**
 * Runs every variant with every seed under the same budget and compares held-out success: learning curves with
 * 95% intervals over seeds, final success and its paired difference to the first variant's (same seeds, same warm
 * start, same evaluation episodes), the paired difference of the curves' means (the area under them: how fast a
 * variant learned, less noisy than one final point), the episodes each variant needed to reach the first variant's
 * final success (the reference level), the critic's next-batch explained variance, and run time.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Ablation {

    /** Trains one variant with one seed. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    public interface Runner {
        Run train(Variant variant, long seed);
    }

    /**
     * One training's results: its held-out evaluations (the shared start first), per iteration the explained
     * variance of the critic's values on the batch they shaped, before the critic was fitted on it, and pass@k of
     * its final policy by k (empty when not measured).
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Run(List<Evaluation> evaluations, double[] nextBatchEv, Map<Integer, Double> passAtK) {
        public Run {
            evaluations = List.copyOf(evaluations);
            nextBatchEv = nextBatchEv.clone();
            passAtK = Collections.unmodifiableMap(new TreeMap<>(passAtK));
        }

        /** A run without pass@k. */
        public Run(List<Evaluation> evaluations, double[] nextBatchEv) {
            this(evaluations, nextBatchEv, Map.of());
        }
    }

    /** Iterations (0-based) before this one are the critic's warm-up and left out of its reported fit. */
    static final int CRITIC_EV_FROM_ITERATION = 2;

    /** Hears about progress, for the CLI. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    public interface Progress {
        void started(Variant variant, long seed, int run, int runs);
    }

    private final List<Variant> variants;
    private final List<Long> seeds;

    public Ablation(List<Variant> variants, List<Long> seeds) {
        this.variants = List.copyOf(variants);
        this.seeds = List.copyOf(seeds);
        if (this.variants.isEmpty() || this.seeds.isEmpty()) {
            throw new IllegalArgumentException("an ablation needs at least one variant and one seed");
        }
    }

    /**
     * Runs the trainings on {@code parallelism} threads at once (each training uses one core), seed by seed so that
     * the runs sharing a seed run side by side. Results do not depend on it: every run draws only from its own seed.
     * A variant's wall time is the sum of its runs' own times.
     */
    public Report run(Runner runner, Progress progress, int parallelism) {
        Objects.requireNonNull(runner, "runner");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, got " + parallelism);
        }
        int runs = variants.size() * seeds.size();
        List<List<Run>> perSeed = new ArrayList<>();
        variants.forEach(v -> perSeed.add(new ArrayList<>()));
        double[] seconds = new double[variants.size()];
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "densify-ablate");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<Run>> futures = new ArrayList<>();
            int run = 0;
            for (int s = 0; s < seeds.size(); s++) {
                for (int v = 0; v < variants.size(); v++) {
                    Variant variant = variants.get(v);
                    long seed = seeds.get(s);
                    int number = ++run;
                    int index = v;
                    futures.add(pool.submit(() -> {
                        progress.started(variant, seed, number, runs);
                        long start = System.nanoTime();
                        Run result = runner.train(variant, seed);
                        synchronized (seconds) {
                            seconds[index] += (System.nanoTime() - start) / 1e9;
                        }
                        return result;
                    }));
                }
            }
            for (int k = 0; k < futures.size(); k++) {
                perSeed.get(k % variants.size()).add(result(futures.get(k)));
            }
        } finally {
            pool.shutdownNow();
        }
        List<VariantResult> results = new ArrayList<>();
        for (int v = 0; v < variants.size(); v++) {
            results.add(summarise(variants.get(v), perSeed.get(v), seconds[v]));
        }
        VariantResult reference = results.get(0);
        double level = reference.finalSuccess().estimate();
        double start = reference.curve().isEmpty() ? Double.NaN : reference.curve().get(0).success().estimate();
        List<VariantResult> compared = new ArrayList<>();
        for (VariantResult r : results) {
            boolean sameEpisodes = r.curve().stream().map(CurvePoint::episodes).toList()
                    .equals(reference.curve().stream().map(CurvePoint::episodes).toList());
            compared.add(r.compared(episodesToReach(r.curve(), level),
                    paired(r.finalSuccessPerSeed(), reference.finalSuccessPerSeed()),
                    sameEpisodes ? paired(r.curveMeanPerSeed(), reference.curveMeanPerSeed()) : NONE));
        }
        return new Report(seeds, level, start, compared);
    }

    private static final Confidence.Interval NONE = Confidence.mean(new double[0]);

    /** Mean over seeds of a variant's value minus the reference variant's with the same seed, with its t interval. */
    private static Confidence.Interval paired(double[] values, double[] reference) {
        int n = Math.min(values.length, reference.length);
        double[] differences = new double[n];
        for (int i = 0; i < n; i++) {
            differences[i] = values[i] - reference[i];
        }
        return Confidence.mean(differences);
    }

    private static Run result(Future<Run> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the ablation was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("an ablation run failed: " + e.getCause(), e.getCause());
        }
    }

    private static VariantResult summarise(Variant variant, List<Run> perSeed, double seconds) {
        // Curve points are keyed by iteration: every seed evaluates at the same iterations.
        Map<Integer, List<Evaluation>> byIteration = new TreeMap<>();
        for (Run run : perSeed) {
            for (Evaluation e : run.evaluations()) {
                byIteration.computeIfAbsent(e.iteration(), k -> new ArrayList<>()).add(e);
            }
        }
        List<CurvePoint> curve = new ArrayList<>();
        for (var entry : byIteration.entrySet()) {
            List<Evaluation> points = entry.getValue();
            double[] success = points.stream().mapToDouble(e -> e.success().estimate()).toArray();
            long episodes = Math.round(points.stream().mapToLong(Evaluation::episodes).average().orElse(0));
            curve.add(new CurvePoint(entry.getKey(), episodes, Confidence.mean(success)));
        }
        double[] finals = perSeed.stream().map(Run::evaluations).filter(l -> !l.isEmpty())
                .mapToDouble(l -> l.get(l.size() - 1).success().estimate()).toArray();
        // the curve's mean after the shared start: comparable between variants evaluated at the same episodes
        double[] curveMeans = perSeed.stream().map(Run::evaluations).filter(l -> l.size() > 1)
                .mapToDouble(l -> l.subList(1, l.size()).stream().mapToDouble(e -> e.success().estimate())
                        .average().orElseThrow()).toArray();
        double[] criticEv = perSeed.stream().mapToDouble(run -> meanFrom(run.nextBatchEv(), CRITIC_EV_FROM_ITERATION))
                .filter(Double::isFinite).toArray();
        // pass@k of the final policies, mean over the seeds that measured it, as final success is
        Map<Integer, Confidence.Interval> passAtK = new TreeMap<>();
        perSeed.stream().flatMap(run -> run.passAtK().keySet().stream()).distinct().forEach(k -> passAtK.put(k,
                Confidence.mean(perSeed.stream().filter(run -> run.passAtK().containsKey(k))
                        .mapToDouble(run -> run.passAtK().get(k)).toArray())));
        return new VariantResult(variant, curve, Confidence.mean(finals), finals, Confidence.mean(criticEv), -1,
                NONE, seconds, passAtK, curveMeans, NONE);
    }

    private static double meanFrom(double[] values, int from) {
        double sum = 0;
        int n = 0;
        for (int i = from; i < values.length; i++) {
            if (Double.isFinite(values[i])) {
                sum += values[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Episodes at the first curve point whose mean success reaches the level; -1 if none does. */
    static long episodesToReach(List<CurvePoint> curve, double level) {
        for (CurvePoint p : curve) {
            if (p.success().estimate() >= level - 1e-9) {
                return p.episodes();
            }
        }
        return -1;
    }

    /** Mean held-out success over seeds after {@code episodes} training episodes. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record CurvePoint(int iteration, long episodes, Confidence.Interval success) {}

    /**
     * One variant's results. {@code episodesToReach} is -1 when it never reached the reference level;
     * {@code pairedDifference} is its final success minus the reference variant's, seed by seed.
     *
     * @param criticEv the critic's next-batch explained variance from the third iteration on, mean over seeds
     * @param passAtK pass@k of the final policies by k, mean over seeds with its t interval; empty when not measured
     * @param curveMeanPerSeed each seed's mean held-out success over its evaluations after the start
     * @param pairedCurveMean the curve mean minus the reference variant's, seed by seed; no estimate (NaN) when the
     *     two were evaluated at different episodes (a variant that spends extra episodes, such as rollouts on forks)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record VariantResult(Variant variant, List<CurvePoint> curve, Confidence.Interval finalSuccess,
                                double[] finalSuccessPerSeed, Confidence.Interval criticEv, long episodesToReach,
                                Confidence.Interval pairedDifference, double wallSeconds,
                                Map<Integer, Confidence.Interval> passAtK, double[] curveMeanPerSeed,
                                Confidence.Interval pairedCurveMean) {
        public VariantResult {
            passAtK = Collections.unmodifiableMap(new TreeMap<>(passAtK));
            curveMeanPerSeed = curveMeanPerSeed.clone();
        }

        /** A variant without curve means. */
        public VariantResult(Variant variant, List<CurvePoint> curve, Confidence.Interval finalSuccess,
                             double[] finalSuccessPerSeed, Confidence.Interval criticEv, long episodesToReach,
                             Confidence.Interval pairedDifference, double wallSeconds,
                             Map<Integer, Confidence.Interval> passAtK) {
            this(variant, curve, finalSuccess, finalSuccessPerSeed, criticEv, episodesToReach, pairedDifference,
                    wallSeconds, passAtK, new double[0], NONE);
        }

        /** A variant without pass@k. */
        public VariantResult(Variant variant, List<CurvePoint> curve, Confidence.Interval finalSuccess,
                             double[] finalSuccessPerSeed, Confidence.Interval criticEv, long episodesToReach,
                             Confidence.Interval pairedDifference, double wallSeconds) {
            this(variant, curve, finalSuccess, finalSuccessPerSeed, criticEv, episodesToReach, pairedDifference,
                    wallSeconds, Map.of());
        }

        VariantResult compared(long episodes, Confidence.Interval difference, Confidence.Interval curveDifference) {
            return new VariantResult(variant, curve, finalSuccess, finalSuccessPerSeed, criticEv, episodes, difference,
                    wallSeconds, passAtK, curveMeanPerSeed, curveDifference);
        }
    }

    /**
     * The whole comparison; {@code level} is the first variant's final mean held-out success, {@code start} the
     * shared warm start's held-out success (the first point of every curve), {@code startPassAtK} the warm start's
     * pass@k by k with its bootstrap interval over tasks (empty when not measured).
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Report(List<Long> seeds, double level, double start, List<VariantResult> variants,
                         Map<Integer, Confidence.Interval> startPassAtK) {
        public Report {
            seeds = List.copyOf(seeds);
            variants = List.copyOf(variants);
            startPassAtK = Collections.unmodifiableMap(new TreeMap<>(startPassAtK));
        }

        /** A report without pass@k of the start. */
        public Report(List<Long> seeds, double level, double start, List<VariantResult> variants) {
            this(seeds, level, start, variants, Map.of());
        }

        /** This report with the warm start's pass@k. */
        public Report withStartPassAtK(Map<Integer, Confidence.Interval> passAtK) {
            return new Report(seeds, level, start, variants, passAtK);
        }

        /** The k that pass@k was measured for, by the start or any variant. */
        public List<Integer> passAtKs() {
            java.util.TreeSet<Integer> ks = new java.util.TreeSet<>(startPassAtK.keySet());
            variants.forEach(v -> ks.addAll(v.passAtK().keySet()));
            return List.copyOf(ks);
        }

        /** Whether the reference variant ended above where every variant started. */
        public boolean improved() {
            return level > start + 1e-9;
        }

        /** A plain-text table for people. */
        public String summary() {
            return table(false);
        }

        /** The same as {@link #summary()} in Markdown, for documents that quote it verbatim. */
        public String markdown() {
            return table(true);
        }

        private String table(boolean markdown) {
            StringBuilder out = new StringBuilder();
            String reference = variants.get(0).variant().name();
            out.append(String.format(Locale.ROOT, "Held-out success over %d seeds (mean, 95%% t-interval over seeds)."
                    + " Start (shared warm start): %.3f. Reference level: %.3f, the final success of '%s'. Curve mean:"
                    + " a run's mean success over its evaluations after the start (how fast it learned).%n",
                    seeds.size(), start, level, reference));
            if (!improved()) {
                out.append(String.format(Locale.ROOT, "RL did not improve on the start: '%s' ended at or below it,"
                        + " so 'episodes to reach' compares nothing.%n", reference));
            }
            out.append('\n');
            List<String> header = List.of("variant", "final success", "vs " + reference + " (paired)",
                    "curve mean vs " + reference + " (paired)", "episodes to reach level", "critic next-batch EV",
                    "run time s");
            List<List<String>> rows = new ArrayList<>();
            for (VariantResult r : variants) {
                rows.add(List.of(r.variant().name(), format(r.finalSuccess()),
                        r == variants.get(0) ? "-" : formatSigned(r.pairedDifference()),
                        r == variants.get(0) ? "-" : formatSigned(r.pairedCurveMean()),
                        !improved() ? "-" : r.episodesToReach() < 0 ? "not reached" : Long.toString(r.episodesToReach()),
                        format(r.criticEv()), String.format(Locale.ROOT, "%.0f", r.wallSeconds())));
            }
            render(out, header, rows, markdown);
            out.append('\n');
            out.append("Held-out success by training episodes (0 = the warm start; a variant that spent other"
                    + " episodes by then, such as rollouts on forks, says how many):\n\n");
            List<String> curveHeader = new ArrayList<>(List.of("episodes"));
            variants.forEach(r -> curveHeader.add(r.variant().name()));
            List<List<String>> curveRows = new ArrayList<>();
            int points = variants.stream().mapToInt(r -> r.curve().size()).max().orElse(0);
            for (int k = 0; k < points; k++) {
                List<String> row = new ArrayList<>();
                int index = k;
                long episodes = variants.stream().filter(r -> index < r.curve().size()).findFirst()
                        .map(r -> r.curve().get(index).episodes()).orElse(-1L);
                row.add(episodes < 0 ? "?" : Long.toString(episodes));
                for (VariantResult r : variants) {
                    if (k >= r.curve().size()) {
                        row.add("");
                        continue;
                    }
                    CurvePoint point = r.curve().get(k);
                    row.add(format(point.success()) + (point.episodes() == episodes ? ""
                            : " at " + point.episodes() + " episodes"));
                }
                curveRows.add(row);
            }
            render(out, curveHeader, curveRows, markdown);
            List<Integer> ks = passAtKs();
            if (!ks.isEmpty()) {
                out.append('\n');
                out.append("pass@k on held-out tasks of the final policies (mean over seeds, 95% t-interval over seeds;"
                        + " start: the shared warm start, 95% bootstrap interval over tasks). pass@1 rising without"
                        + " the largest k means RL sharpened the policy rather than taught it more:\n\n");
                List<String> passHeader = new ArrayList<>(List.of("variant"));
                ks.forEach(k -> passHeader.add("pass@" + k));
                List<List<String>> passRows = new ArrayList<>();
                if (!startPassAtK.isEmpty()) {
                    passRows.add(passRow("start", startPassAtK, ks));
                }
                variants.forEach(r -> passRows.add(passRow(r.variant().name(), r.passAtK(), ks)));
                render(out, passHeader, passRows, markdown);
            }
            return out.toString();
        }

        private static List<String> passRow(String name, Map<Integer, Confidence.Interval> passAtK, List<Integer> ks) {
            List<String> row = new ArrayList<>(List.of(name));
            ks.forEach(k -> row.add(passAtK.containsKey(k) ? format(passAtK.get(k)) : "-"));
            return row;
        }

        private static void render(StringBuilder out, List<String> header, List<List<String>> rows, boolean markdown) {
            if (markdown) {
                out.append("| ").append(String.join(" | ", header)).append(" |\n");
                out.append("|").append("---|".repeat(header.size())).append('\n');
                rows.forEach(r -> out.append("| ").append(String.join(" | ", r)).append(" |\n"));
                return;
            }
            int[] widths = new int[header.size()];
            for (int c = 0; c < widths.length; c++) {
                widths[c] = header.get(c).length();
                for (List<String> r : rows) {
                    widths[c] = Math.max(widths[c], r.get(c).length());
                }
            }
            List<List<String>> all = new ArrayList<>();
            all.add(header);
            all.addAll(rows);
            for (List<String> r : all) {
                StringBuilder line = new StringBuilder();
                for (int c = 0; c < widths.length; c++) {
                    line.append(String.format("%-" + (widths[c] + 2) + "s", r.get(c)));
                }
                out.append(line.toString().stripTrailing()).append('\n');
            }
        }

        private static String format(Confidence.Interval i) {
            if (Double.isNaN(i.estimate())) {
                return "-";
            }
            if (Double.isNaN(i.low())) {
                return String.format(Locale.ROOT, "%.3f", i.estimate());
            }
            return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", i.estimate(), i.low(), i.high());
        }

        private static String formatSigned(Confidence.Interval i) {
            if (Double.isNaN(i.estimate())) {
                return "-";
            }
            if (Double.isNaN(i.low())) {
                return String.format(Locale.ROOT, "%+.3f", i.estimate());
            }
            return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f]", i.estimate(), i.low(), i.high());
        }

        /** The report as plain values, for ablation.json. */
        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("seeds", seeds);
            out.put("reference_level", level);
            out.put("start", start);
            out.put("improved", improved());
            List<Map<String, Object>> vs = new ArrayList<>();
            for (VariantResult r : variants) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", r.variant().name());
                v.put("overrides", r.variant().overrides());
                v.put("final_success", interval(r.finalSuccess()));
                v.put("final_success_per_seed", r.finalSuccessPerSeed());
                v.put("episodes_to_reach_level", r.episodesToReach());
                v.put("paired_difference", interval(r.pairedDifference()));
                v.put("curve_mean_per_seed", r.curveMeanPerSeed());
                v.put("paired_curve_mean_difference", interval(r.pairedCurveMean()));
                v.put("critic_next_batch_ev", interval(r.criticEv()));
                v.put("wall_seconds", r.wallSeconds());
                List<Map<String, Object>> curve = new ArrayList<>();
                for (CurvePoint p : r.curve()) {
                    Map<String, Object> point = new LinkedHashMap<>();
                    point.put("iteration", p.iteration());
                    point.put("episodes", p.episodes());
                    point.putAll(interval(p.success()));
                    curve.add(point);
                }
                v.put("curve", curve);
                v.put("pass_at_k", intervals(r.passAtK()));
                vs.add(v);
            }
            out.put("variants", vs);
            out.put("start_pass_at_k", intervals(startPassAtK));
            return out;
        }

        private static Map<String, Object> intervals(Map<Integer, Confidence.Interval> byK) {
            Map<String, Object> out = new LinkedHashMap<>();
            byK.forEach((k, i) -> out.put(Integer.toString(k), interval(i)));
            return out;
        }

        private static Map<String, Object> interval(Confidence.Interval i) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("mean", i.estimate());
            out.put("low", i.low());
            out.put("high", i.high());
            return out;
        }
    }
}

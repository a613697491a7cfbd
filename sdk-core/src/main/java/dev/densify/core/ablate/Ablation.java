package dev.densify.core.ablate;

import dev.densify.api.API;
import dev.densify.core.train.Confidence;
import dev.densify.core.train.Trainer.Evaluation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.TreeMap;

/**
 * Runs every variant with every seed under the same budget and compares held-out success: learning curves with
 * 95% intervals over seeds, final success, the episodes each variant needed to reach the first variant's final
 * success (the reference level), and wall time.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Ablation {

    /** Trains one variant with one seed and returns its held-out evaluations. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    @FunctionalInterface
    public interface Runner {
        List<Evaluation> train(Variant variant, long seed);
    }

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

    public Report run(Runner runner, Progress progress) {
        return run(runner, progress, 1);
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
        List<List<List<Evaluation>>> perSeed = new ArrayList<>();
        variants.forEach(v -> perSeed.add(new ArrayList<>()));
        double[] seconds = new double[variants.size()];
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, task -> {
            Thread thread = new Thread(task, "densify-ablate");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<List<Evaluation>>> futures = new ArrayList<>();
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
                        List<Evaluation> curve = runner.train(variant, seed);
                        synchronized (seconds) {
                            seconds[index] += (System.nanoTime() - start) / 1e9;
                        }
                        return curve;
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
        double level = results.get(0).finalSuccess().estimate();
        List<VariantResult> withLevel = results.stream()
                .map(r -> r.withEpisodesToReach(level, episodesToReach(r.curve(), level))).toList();
        return new Report(seeds, level, withLevel);
    }

    private static List<Evaluation> result(Future<List<Evaluation>> future) {
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

    private static VariantResult summarise(Variant variant, List<List<Evaluation>> perSeed, double seconds) {
        // Curve points are keyed by iteration: every seed evaluates at the same iterations.
        Map<Integer, List<Evaluation>> byIteration = new TreeMap<>();
        for (List<Evaluation> evaluations : perSeed) {
            for (Evaluation e : evaluations) {
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
        double[] finals = perSeed.stream().filter(l -> !l.isEmpty())
                .mapToDouble(l -> l.get(l.size() - 1).success().estimate()).toArray();
        return new VariantResult(variant, curve, Confidence.mean(finals), finals, -1, seconds);
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

    /** One variant's results. {@code episodesToReach} is -1 when it never reached the reference level. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record VariantResult(Variant variant, List<CurvePoint> curve, Confidence.Interval finalSuccess,
                                double[] finalSuccessPerSeed, long episodesToReach, double wallSeconds) {
        VariantResult withEpisodesToReach(double level, long episodes) {
            return new VariantResult(variant, curve, finalSuccess, finalSuccessPerSeed, episodes, wallSeconds);
        }
    }

    /** The whole comparison; {@code level} is the first variant's final mean held-out success. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record Report(List<Long> seeds, double level, List<VariantResult> variants) {

        /** A plain-text table for people. */
        public String summary() {
            StringBuilder out = new StringBuilder();
            out.append(String.format("held-out success over %d seeds (mean, 95%% CI); reference level %.3f = final"
                    + " success of '%s'%n", seeds.size(), level, variants.get(0).variant().name()));
            out.append(String.format("%-12s %-24s %-26s %-10s%n", "variant", "final success", "episodes to reach level",
                    "wall s"));
            for (VariantResult r : variants) {
                Confidence.Interval f = r.finalSuccess();
                out.append(String.format("%-12s %-24s %-26s %-10.0f%n", r.variant().name(),
                        String.format("%.3f [%.3f, %.3f]", f.estimate(), f.low(), f.high()),
                        r.episodesToReach() < 0 ? "not reached" : Long.toString(r.episodesToReach()), r.wallSeconds()));
            }
            return out.toString();
        }

        /** The report as plain values, for ablation.json. */
        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("seeds", seeds);
            out.put("reference_level", level);
            List<Map<String, Object>> vs = new ArrayList<>();
            for (VariantResult r : variants) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", r.variant().name());
                v.put("overrides", r.variant().overrides());
                v.put("final_success", interval(r.finalSuccess()));
                v.put("final_success_per_seed", r.finalSuccessPerSeed());
                v.put("episodes_to_reach_level", r.episodesToReach());
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
                vs.add(v);
            }
            out.put("variants", vs);
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

package dev.densify.core.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.densify.api.API;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * pass@k (Chen et al. 2021): the chance that at least one of k attempts at a task succeeds, estimated without bias
 * from n >= k attempts of which c succeeded as 1 - C(n - c, k) / C(n, k), averaged over tasks, with a 95% percentile
 * bootstrap interval over tasks. Capability or sharpening: if training raised pass@1 but not pass@k for a large k,
 * it concentrated the policy on what it could already do rather than teaching it something new.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class PassAtK {
    /** Bootstrap resamples of the tasks. */
    static final int RESAMPLES = 2000;

    private PassAtK() {}

    /**
     * 1 - C(n - c, k) / C(n, k) in the product form 1 - prod_{i = n - c + 1}^{n} (1 - k / i), which never forms the
     * binomials (they overflow a double from n = 1030 on); 1 when fewer than k attempts failed.
     */
    public static double estimate(int n, int c, int k) {
        if (k < 1 || n < k || c < 0 || c > n) {
            throw new IllegalArgumentException("pass@k needs 1 <= k <= n and 0 <= c <= n, got n=" + n + " c=" + c
                    + " k=" + k);
        }
        if (n - c < k) {
            return 1.0;
        }
        double allFail = 1.0;
        for (int i = n - c + 1; i <= n; i++) {
            allFail *= 1.0 - (double) k / i;
        }
        return 1.0 - allFail;
    }

    /**
     * The values of k from text like {@code 1,4,16,64}: integers of at least 1, sorted and without repeats.
     *
     * @throws IllegalArgumentException naming the offending entry and what is allowed
     */
    public static List<Integer> parseKs(String text) {
        Objects.requireNonNull(text, "text");
        TreeSet<Integer> ks = new TreeSet<>();
        for (String part : text.split(",", -1)) {
            String entry = part.trim();
            int k;
            try {
                k = Integer.parseInt(entry);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + entry + "' in '" + text + "' is not an integer: k must be"
                        + " whole numbers of at least 1, separated by commas (e.g. 1,4,16,64)");
            }
            if (k < 1) {
                throw new IllegalArgumentException("k = " + k + " in '" + text + "': k must be at least 1");
            }
            ks.add(k);
        }
        return List.copyOf(ks);
    }

    /** pass@k over tasks with its 95% bootstrap interval over tasks. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Estimate(int k, Confidence.Interval value) {}

    /**
     * pass@k on a set of tasks, each attempted {@code samples} times.
     *
     * @param successes the successful attempts of each task
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Report(int samples, int[] successes, List<Estimate> estimates) {
        public Report {
            successes = successes.clone();
            estimates = List.copyOf(estimates);
        }

        public int tasks() {
            return successes.length;
        }

        /** The estimate for k; absent when k was not asked for. */
        public java.util.Optional<Confidence.Interval> at(int k) {
            return estimates.stream().filter(e -> e.k() == k).map(Estimate::value).findFirst();
        }

        /** As plain values, for JSON: {@code {"samples":..,"successes":[..],"pass_at_k":{"1":{mean,low,high}}}}. */
        public Map<String, Object> toMap() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("tasks", tasks());
            out.put("samples", samples);
            out.put("successes", successes.clone());
            Map<String, Object> byK = new LinkedHashMap<>();
            for (Estimate e : estimates) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("mean", e.value().estimate());
                v.put("low", e.value().low());
                v.put("high", e.value().high());
                byK.put(Integer.toString(e.k()), v);
            }
            out.put("pass_at_k", byK);
            return out;
        }
    }

    /** Writes reports by name ({@code base}, {@code trained}) as JSON, each as {@link Report#toMap()}. */
    public static void write(Path file, Map<String, Report> reports) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        reports.forEach((name, r) -> out.put(name, r.toMap()));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), out);
    }

    /** Reads what {@link #write} wrote. */
    public static Map<String, Report> read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        Map<String, Report> reports = new LinkedHashMap<>();
        for (var entry : root.properties()) {
            JsonNode r = entry.getValue();
            int[] successes = new int[r.path("successes").size()];
            for (int t = 0; t < successes.length; t++) {
                successes[t] = r.path("successes").get(t).asInt();
            }
            List<Estimate> estimates = new ArrayList<>();
            for (var k : r.path("pass_at_k").properties()) {
                JsonNode v = k.getValue();
                estimates.add(new Estimate(Integer.parseInt(k.getKey()), new Confidence.Interval(
                        v.path("mean").asDouble(), v.path("low").asDouble(), v.path("high").asDouble())));
            }
            reports.put(entry.getKey(), new Report(r.path("samples").asInt(), successes, estimates));
        }
        return reports;
    }

    /**
     * pass@k for each k from the successes of each task out of {@code samples} attempts; the intervals resample the
     * tasks with a generator seeded by {@code seed}, so the same counts give the same intervals.
     */
    public static Report of(int[] successes, int samples, List<Integer> ks, long seed) {
        if (successes.length == 0) {
            throw new IllegalArgumentException("pass@k needs at least one task");
        }
        for (int k : ks) {
            if (k > samples) {
                throw new IllegalArgumentException("pass@" + k + " needs at least " + k + " samples per task, got "
                        + samples + ": raise the samples or lower k");
            }
        }
        List<Estimate> estimates = new ArrayList<>();
        for (int k : ks) {
            double[] perTask = new double[successes.length];
            for (int t = 0; t < successes.length; t++) {
                perTask[t] = estimate(samples, successes[t], k);
            }
            estimates.add(new Estimate(k, bootstrap(perTask, new SplittableRandom(seed ^ k * 0x9E3779B97F4A7C15L))));
        }
        return new Report(samples, successes, estimates);
    }

    /** The mean with the 2.5% and 97.5% percentiles of the means of {@link #RESAMPLES} resamples. */
    static Confidence.Interval bootstrap(double[] values, SplittableRandom random) {
        int n = values.length;
        double mean = 0;
        for (double v : values) {
            mean += v;
        }
        mean /= n;
        double[] means = new double[RESAMPLES];
        for (int b = 0; b < RESAMPLES; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[b] = sum / n;
        }
        java.util.Arrays.sort(means);
        return new Confidence.Interval(mean, means[(int) Math.floor(0.025 * (RESAMPLES - 1))],
                means[(int) Math.ceil(0.975 * (RESAMPLES - 1))]);
    }
}

package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The reward normalisation fitted on training records: per source (or pooled), {@code n = (r - offset) / scale}, and
 * back {@code r = n * scale + offset}. A source the training logs did not have is normalised with the pooled scale
 * of all training records.
 *
 * @param method how offsets and scales were fitted
 * @param perSource whether each source has its own scale
 * @param sources per source its scale, by source name (empty when not per source)
 * @param pooled the scale over all training records
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record RewardScales(Method method, boolean perSource, Map<String, Scale> sources, Scale pooled) {

    /** How rewards are put on a common scale. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Method {
        /** Rewards as logged. */
        NONE,
        /** Mean 0 and (population) standard deviation 1. */
        ZSCORE,
        /** Minimum 0 and maximum 1. */
        MINMAX
    }

    /** {@code n = (r - offset) / scale}; a constant reward gets scale 1, so it normalises to 0 and maps back. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Scale(double offset, double scale) {
        public static final Scale IDENTITY = new Scale(0, 1);

        public Scale {
            if (!Double.isFinite(offset) || !Double.isFinite(scale) || scale <= 0) {
                throw new IllegalArgumentException("a reward scale needs a finite offset and a positive scale, got "
                        + offset + " and " + scale);
            }
        }
    }

    public RewardScales {
        Objects.requireNonNull(method, "method");
        sources = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(sources)); // sorted: stable output
        Objects.requireNonNull(pooled, "pooled");
    }

    public static RewardScales fit(Method method, boolean perSource, List<LogRecord> training) {
        Objects.requireNonNull(training, "training");
        Map<String, List<Double>> bySource = new LinkedHashMap<>();
        training.forEach(r -> bySource.computeIfAbsent(r.source(), s -> new java.util.ArrayList<>()).add(r.reward()));
        Map<String, Scale> scales = new LinkedHashMap<>();
        if (perSource) {
            bySource.forEach((s, rewards) -> scales.put(s, scale(method, rewards)));
        }
        return new RewardScales(method, perSource, scales,
                scale(method, training.stream().map(LogRecord::reward).toList()));
    }

    public Scale scaleOf(String source) {
        return perSource ? sources.getOrDefault(source, pooled) : pooled;
    }

    public double normalise(String source, double reward) {
        Scale s = scaleOf(source);
        return (reward - s.offset()) / s.scale();
    }

    public double restore(String source, double normalised) {
        Scale s = scaleOf(source);
        return normalised * s.scale() + s.offset();
    }

    private static Scale scale(Method method, List<Double> rewards) {
        if (method == Method.NONE || rewards.isEmpty()) {
            return Scale.IDENTITY;
        }
        double[] r = rewards.stream().mapToDouble(Double::doubleValue).toArray();
        if (method == Method.ZSCORE) {
            double mean = java.util.Arrays.stream(r).average().orElse(0);
            double variance = java.util.Arrays.stream(r).map(x -> (x - mean) * (x - mean)).average().orElse(0);
            double std = Math.sqrt(variance);
            return new Scale(mean, std > 1e-12 ? std : 1);
        }
        double min = java.util.Arrays.stream(r).min().orElse(0);
        double max = java.util.Arrays.stream(r).max().orElse(0);
        return new Scale(min, max - min > 1e-12 ? max - min : 1);
    }
}

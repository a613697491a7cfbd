package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns raw records into complete ones, counting every missing value.
 *
 * <p>A record that lacks a required field (state, action, reward) is dropped under {@link Policy#DROP}; under
 * {@link Policy#IMPUTE} a missing state or action becomes the empty text and a missing reward the mean of the
 * observed rewards of the record's source (of all sources when its source has none); an imputed reward is marked
 * so that it trains but is never taken as ground truth. Optional fields are always filled, never dropped for: a
 * missing next state or timestamp becomes "", a missing episode id makes the record its own episode (named by its
 * {@code file:line}, so it can never straddle the split), a missing step is the record's position among its
 * episode's records in file order, and a missing source is {@value LogRecord#DEFAULT_SOURCE}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class MissingValues {

    /** What to do with a record that lacks a required field. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public enum Policy { DROP, IMPUTE }

    /**
     * The counts of one pass.
     *
     * @param records records read
     * @param kept records that came out
     * @param dropped records dropped for a missing required field
     * @param missing per field, the records that lacked it (dropped ones included)
     * @param imputedRewards per source, the reward that replaced missing ones (only under impute)
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Report(int records, int kept, int dropped, Map<LogField, Integer> missing,
                         Map<String, Double> imputedRewards) {
        public Report {
            missing = java.util.Collections.unmodifiableMap(new EnumMap<>(missing.isEmpty()
                    ? new EnumMap<>(LogField.class) : missing));
            imputedRewards = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(imputedRewards));
        }

        /** The records that lacked {@code field}. */
        public int missing(LogField field) {
            return missing.getOrDefault(field, 0);
        }
    }

    /** Complete records and what it took. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Result(List<LogRecord> records, Report report) {
        public Result {
            records = List.copyOf(records);
            Objects.requireNonNull(report, "report");
        }
    }

    private MissingValues() {}

    public static Result apply(List<RawRecord> raw, Policy policy) {
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(policy, "policy");
        Map<LogField, Integer> missing = new EnumMap<>(LogField.class);
        for (RawRecord r : raw) {
            r.missing().forEach(f -> missing.merge(f, 1, Integer::sum));
        }
        Map<String, Double> imputed = policy == Policy.IMPUTE ? rewardMeans(raw) : Map.of();
        Map<String, Double> used = new LinkedHashMap<>();
        Map<String, Long> nextStep = new HashMap<>();
        List<LogRecord> out = new ArrayList<>();
        int dropped = 0;
        for (RawRecord r : raw) {
            boolean incomplete = r.missing().stream().anyMatch(LogField::required);
            if (incomplete && policy == Policy.DROP) {
                dropped++;
                continue;
            }
            String source = r.get(LogField.SOURCE).orElse(LogRecord.DEFAULT_SOURCE);
            String episode = r.get(LogField.EPISODE_ID).orElse(r.origin());
            long position = nextStep.merge(source + "\u0000" + episode, 1L, Long::sum) - 1;
            double reward = r.reward().isPresent() ? r.reward().getAsDouble()
                    : imputed.getOrDefault(source, imputed.getOrDefault(ALL, Double.NaN));
            if (!Double.isFinite(reward)) {
                throw new LogFormatException(r.origin() + ": field reward is missing and no record has a reward to "
                        + "impute it from");
            }
            if (r.reward().isEmpty()) {
                used.put(source, reward);
            }
            out.add(new LogRecord(r.get(LogField.STATE).orElse(""), r.get(LogField.ACTION).orElse(""), reward,
                    r.reward().isPresent(), r.get(LogField.NEXT_STATE).orElse(""), episode,
                    r.step().orElse(position), r.get(LogField.TIMESTAMP).orElse(""), source, r.origin()));
        }
        return new Result(out, new Report(raw.size(), out.size(), dropped, missing, used));
    }

    private static final String ALL = "\u0000all";

    /** The mean observed reward per source, and over all sources under {@link #ALL}. */
    private static Map<String, Double> rewardMeans(List<RawRecord> raw) {
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (RawRecord r : raw) {
            if (r.reward().isPresent()) {
                double v = r.reward().getAsDouble();
                for (String key : List.of(r.get(LogField.SOURCE).orElse(LogRecord.DEFAULT_SOURCE), ALL)) {
                    double[] s = sums.computeIfAbsent(key, k -> new double[2]);
                    s[0] += v;
                    s[1]++;
                }
            }
        }
        Map<String, Double> means = new LinkedHashMap<>();
        sums.forEach((k, s) -> means.put(k, s[0] / s[1]));
        return means;
    }
}

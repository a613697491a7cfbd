package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * New logs against the training logs: the population stability index of each summary the model keeps a reference
 * of (its prediction, the observed reward when the new logs have rewards, the lengths of state and action text and
 * fixed random projections of the standardised features), each with the verdict of formulas.md, and overall the
 * worst of them.
 *
 * @param records the new records compared
 * @param entries one per summary, in the model's order
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record DriftReport(int records, List<Entry> entries) {

    /** One summary's PSI and verdict. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Entry(String name, double psi, Psi.Verdict verdict) {}

    public DriftReport {
        entries = List.copyOf(entries);
    }

    /** The worst verdict. */
    public Psi.Verdict verdict() {
        return entries.stream().map(Entry::verdict).max(Comparator.naturalOrder()).orElse(Psi.Verdict.STABLE);
    }

    /** Compares {@code records} with the model's training references. */
    public static DriftReport of(LogRewardModel model, List<LogRecord> logged) {
        Objects.requireNonNull(model, "model");
        List<LogRecord> records = model.labelled(Objects.requireNonNull(logged, "logged"));
        if (records.isEmpty()) {
            throw new IllegalArgumentException("the drift check needs at least one new record");
        }
        if (model.state().references().isEmpty()) {
            throw new IllegalArgumentException("the model holds no training references to compare with");
        }
        float[][] features = model.features(records);
        double[] predictions = model.predict(records);
        Map<String, double[]> summaries = model.summaries(records, features, predictions);
        List<Entry> entries = new ArrayList<>();
        model.state().references().forEach((name, reference) -> {
            double[] values = summaries.get(name);
            if (values != null) {
                double psi = reference.of(values);
                entries.add(new Entry(name, psi, Psi.Verdict.of(psi)));
            }
        });
        return new DriftReport(records.size(), entries);
    }
}

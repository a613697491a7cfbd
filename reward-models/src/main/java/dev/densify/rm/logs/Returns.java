package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The discounted return from each step, {@code G_t = r_t + gamma * G_{t+1}} over the records of one episode in step
 * order (formulas.md, Monte Carlo returns), as the target of a return predictor. A return that sums an imputed
 * reward is itself not observed. Logs that hold only part of an episode give the return of that part.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Returns {
    private Returns() {}

    /** The records in their order, each with its reward replaced by its return. */
    public static List<LogRecord> toGo(List<LogRecord> records, double gamma) {
        Objects.requireNonNull(records, "records");
        if (!(gamma >= 0 && gamma <= 1)) {
            throw new IllegalArgumentException("gamma must be in [0, 1], got " + gamma);
        }
        Map<String, List<LogRecord>> episodes = new LinkedHashMap<>();
        records.forEach(r -> episodes.computeIfAbsent(r.episodeKey(), k -> new ArrayList<>()).add(r));
        Map<LogRecord, LogRecord> replaced = new IdentityHashMap<>();
        for (List<LogRecord> episode : episodes.values()) {
            List<LogRecord> ordered = new ArrayList<>(episode);
            ordered.sort(Comparator.comparingLong(LogRecord::step)); // stable: equal steps keep file order
            double g = 0;
            boolean observed = true;
            for (int i = ordered.size() - 1; i >= 0; i--) {
                LogRecord r = ordered.get(i);
                g = r.reward() + gamma * g;
                observed &= r.rewardObserved();
                replaced.put(r, new LogRecord(r.state(), r.action(), g, observed, r.nextState(), r.episodeId(),
                        r.step(), r.timestamp(), r.source(), r.origin()));
            }
        }
        return records.stream().map(replaced::get).toList();
    }
}

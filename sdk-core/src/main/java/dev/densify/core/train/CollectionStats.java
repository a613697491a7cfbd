package dev.densify.core.train;

import dev.densify.api.API;
import java.util.EnumMap;
import java.util.Map;

/** Episodes attempted and dropped during one collection, with the reasons, and the time and tokens it took. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record CollectionStats(int attempted, Map<EpisodeFailure.Reason, Integer> failures, double seconds,
                              long generatedTokens) {
    public CollectionStats {
        failures = Map.copyOf(failures);
    }

    public int failed() {
        return failures.values().stream().mapToInt(Integer::intValue).sum();
    }

    static Map<EpisodeFailure.Reason, Integer> emptyFailures() {
        return new EnumMap<>(EpisodeFailure.Reason.class);
    }
}

package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.Objects;

/**
 * One logged interaction after missing values were handled: every field has a value.
 *
 * @param state the state (observation) text the action was taken in
 * @param action the action text
 * @param reward the reward on the log's own scale
 * @param rewardObserved false when the reward was imputed: such a record trains but is never ground truth
 * @param nextState the next state's text, "" when the log has none
 * @param episodeId the episode; records without one are each their own episode ({@code origin})
 * @param step the step index within the episode
 * @param timestamp as logged, "" when absent
 * @param source which log (agent, deployment) the record comes from; rewards are normalised per source
 * @param origin {@code file:line}
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record LogRecord(String state, String action, double reward, boolean rewardObserved, String nextState,
                        String episodeId, long step, String timestamp, String source, String origin) {
    /** The source of records whose log names none. */
    public static final String DEFAULT_SOURCE = "default";

    public LogRecord {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(nextState, "nextState");
        Objects.requireNonNull(episodeId, "episodeId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(origin, "origin");
        if (!Double.isFinite(reward)) {
            throw new IllegalArgumentException(origin + ": reward must be finite, got " + reward);
        }
    }

    /** Episodes are told apart by source and id: two logs may both number their episodes from 1. */
    public String episodeKey() {
        return source + "\u0000" + episodeId;
    }
}

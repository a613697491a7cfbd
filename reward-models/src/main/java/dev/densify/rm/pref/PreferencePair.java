package dev.densify.rm.pref;

import dev.densify.api.API;
import java.util.Objects;

/**
 * One preference: for {@code task}, the {@code positive} side is preferred to the {@code negative} side, judged on
 * the outputs of {@code targetModule}. In files it is {@code {"pair_id", "target_module", "task", "positive":
 * {"trajectory_full_context", "module_k_all_rounds", "outcome"}, "negative": {...}}}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record PreferencePair(String pairId, String targetModule, String task, Side positive, Side negative) {
    public PreferencePair {
        Objects.requireNonNull(pairId, "pairId");
        Objects.requireNonNull(targetModule, "targetModule");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(positive, "positive");
        Objects.requireNonNull(negative, "negative");
    }

    /**
     * One trajectory of a pair.
     *
     * @param trajectoryFullContext the whole episode as text: what the encoder reads as the context
     * @param moduleKAllRounds the target module's outputs across all rounds, as text
     * @param outcome the episode's outcome as the data gave it (any JSON value: string, number, object...);
     *     kept for the record, never read by the model
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public record Side(String trajectoryFullContext, String moduleKAllRounds, Object outcome) {
        public Side {
            Objects.requireNonNull(trajectoryFullContext, "trajectoryFullContext");
            Objects.requireNonNull(moduleKAllRounds, "moduleKAllRounds");
            Objects.requireNonNull(outcome, "outcome");
        }
    }
}

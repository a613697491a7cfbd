package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One record as read, before missing values are handled: each field is present or missing.
 *
 * @param origin {@code file:line} of the record's first line, for messages
 * @param text the text fields present (state, action, next_state, episode_id, timestamp, source)
 * @param reward the reward, when present
 * @param step the step index, when present
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record RawRecord(String origin, Map<LogField, String> text, OptionalDouble reward, OptionalLong step) {
    public RawRecord {
        Objects.requireNonNull(origin, "origin");
        text = Map.copyOf(Objects.requireNonNull(text, "text"));
        Objects.requireNonNull(reward, "reward");
        Objects.requireNonNull(step, "step");
        if (text.containsKey(LogField.REWARD) || text.containsKey(LogField.STEP)) {
            throw new IllegalArgumentException("reward and step are numbers, not text");
        }
    }

    public Optional<String> get(LogField field) {
        return Optional.ofNullable(text.get(field));
    }

    /** The fields this record lacks. */
    public Set<LogField> missing() {
        Set<LogField> missing = EnumSet.noneOf(LogField.class);
        for (LogField f : LogField.values()) {
            boolean present = switch (f) {
                case REWARD -> reward.isPresent();
                case STEP -> step.isPresent();
                default -> text.containsKey(f);
            };
            if (!present) {
                missing.add(f);
            }
        }
        return missing;
    }

    /** A builder-free way for tests and tools to make one. */
    static RawRecord of(String origin, EnumMap<LogField, String> text, Double reward, Long step) {
        return new RawRecord(origin, text, reward == null ? OptionalDouble.empty() : OptionalDouble.of(reward),
                step == null ? OptionalLong.empty() : OptionalLong.of(step));
    }
}

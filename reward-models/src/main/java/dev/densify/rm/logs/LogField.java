package dev.densify.rm.logs;

import dev.densify.api.API;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The fields of a logged interaction, by the key (JSONL) or column name (CSV) that holds each. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public enum LogField {
    STATE(true),
    ACTION(true),
    REWARD(true),
    NEXT_STATE(false),
    EPISODE_ID(false),
    STEP(false),
    TIMESTAMP(false),
    SOURCE(false);

    private final boolean required;

    LogField(boolean required) {
        this.required = required;
    }

    /** The key in a JSONL object and the column name in a CSV header: {@code next_state}, {@code episode_id}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A record without this field cannot be used as is: it is dropped or imputed, as configured. */
    public boolean required() {
        return required;
    }

    /** Every key, in order, for messages. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(LogField::key).toList();
    }

    static LogField ofKey(String key) {
        for (LogField f : values()) {
            if (f.key().equals(key)) {
                return f;
            }
        }
        return null;
    }
}

package dev.densify.api.config;

import dev.densify.api.API;

/** Range checks for plugins' configuration records, with messages that name the key and the allowed range. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Ranges {
    private Ranges() {}

    public static double requireBetween(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    public static double requireAtLeast(String key, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number >= " + min + ", got " + value);
        }
        return value;
    }

    public static double requireFinite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number, got " + value);
        }
        return value;
    }
}

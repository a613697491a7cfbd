package dev.densify.reward.normalizers;

/** Range checks for configuration records, with messages that name the key and the allowed range. */
final class Ranges {
    private Ranges() {}

    static double requireBetween(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    static double requireAtLeast(String key, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number >= " + min + ", got " + value);
        }
        return value;
    }

    static double requireFinite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(key + " must be a finite number, got " + value);
        }
        return value;
    }
}

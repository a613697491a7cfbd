package dev.densify.algo.grpo;

/** Range checks for configuration records, with messages that name the key and the allowed range. */
final class ConfigChecks {

    private ConfigChecks() {}

    /** The lower clip range: 1 - eps_low must stay a positive ratio. */
    static void epsLow(double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("eps_low must be in [0, 1), got " + value);
        }
    }

    static void epsHigh(double value) {
        inClosedRange("eps_high", value, 0, 10);
    }

    static void beta(double value) {
        inClosedRange("beta", value, 0, 100);
    }

    static void inClosedRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    static <T> T present(String key, T value) {
        if (value == null) {
            throw new IllegalArgumentException(key + " must be set");
        }
        return value;
    }
}

package dev.densify.reward.critic.neural;

/** Range checks for configuration records, with messages that name the key and the allowed range. */
final class ConfigChecks {

    private ConfigChecks() {}

    static void inRange(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    static void inRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    static void positiveAtMost(String key, double value, double max) {
        if (!(value > 0 && value <= max)) {
            throw new IllegalArgumentException(key + " must be in (0, " + max + "], got " + value);
        }
    }

    /** The training keys both heads share. */
    static void training(int epochs, double lr, double weightDecay, int batch, int patience, double dropout) {
        inRange("epochs", epochs, 1, 100_000);
        positiveAtMost("lr", lr, 1);
        inRange("weight_decay", weightDecay, 0, 10);
        inRange("batch", batch, 1, 1_000_000);
        inRange("patience", patience, 1, 100_000);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }
}

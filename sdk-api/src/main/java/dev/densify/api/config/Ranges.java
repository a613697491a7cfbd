package dev.densify.api.config;

import dev.densify.api.API;

/**
 * Range checks for plugins' configuration records, the one home for them. Each throws a {@link ConfigException}
 * whose path is the key as users type it ({@code eps_low}); {@link PluginConfig#bind} puts the node's path in
 * front, so the user reads {@code algo.eps_low: must be in [0.0, 1.0), got 1.5}. Whole numbers and decimals have
 * overloads of their own: {@code requireAtLeast("epochs", epochs, 1)} on an {@code int} says
 * {@code 0 is not allowed; expected 1 or more}, on a {@code double} {@code must be a finite number >= 1.0, got 0.5}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Ranges {
    private Ranges() {}

    /** {@code min <= value <= max}. */
    public static double requireBetween(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** {@code min <= value <= max}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static long requireBetween(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "], got " + value);
        }
        return value;
    }

    /** {@code min <= value < max}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static double requireAtLeastAndBelow(String key, double value, double min, double max) {
        if (!(value >= min && value < max)) {
            throw new ConfigException(key, "must be in [" + min + ", " + max + "), got " + value);
        }
        return value;
    }

    /** {@code min < value < max}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static double requireAboveAndBelow(String key, double value, double min, double max) {
        if (!(value > min && value < max)) {
            throw new ConfigException(key, "must be in (" + min + ", " + max + "), got " + value);
        }
        return value;
    }

    /** {@code 0 < value <= max}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static double requirePositiveAtMost(String key, double value, double max) {
        if (!(value > 0 && value <= max)) {
            throw new ConfigException(key, "must be in (0.0, " + max + "], got " + value);
        }
        return value;
    }

    /** {@code 0 < value}, finite. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static double requirePositive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new ConfigException(key, "must be a finite number > 0, got " + value);
        }
        return value;
    }

    /** A whole number (a count, a size) of at least {@code min}: {@code -1 is not allowed; expected 0 or more}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static long requireAtLeast(String key, long value, long min) {
        if (value < min) {
            throw new ConfigException(key, value + " is not allowed; expected " + min + " or more");
        }
        return value;
    }

    /** A whole number above 0: {@code 0 is not allowed; expected a positive number}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static long requirePositive(String key, long value) {
        if (value <= 0) {
            throw new ConfigException(key, value + " is not allowed; expected a positive number");
        }
        return value;
    }

    public static double requireAtLeast(String key, double value, double min) {
        if (!(value >= min) || Double.isInfinite(value)) {
            throw new ConfigException(key, "must be a finite number >= " + min + ", got " + value);
        }
        return value;
    }

    public static double requireFinite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw new ConfigException(key, "must be a finite number, got " + value);
        }
        return value;
    }

    /** A value that must be given (an enum or text key). */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static <T> T requirePresent(String key, T value) {
        if (value == null) {
            throw new ConfigException(key, "must be set");
        }
        return value;
    }

    /**
     * The sizes of a generated task set, its keys under {@code at} (the group's path and a dot, or ""):
     * {@code train_tasks} at least 1, {@code held_out_tasks} and {@code harder_tasks} at least 0, and together at
     * least 1, so that evaluation has tasks to measure on.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static void requireTaskCounts(String at, int trainTasks, int heldOutTasks, int harderTasks) {
        requireAtLeast(at + "train_tasks", trainTasks, 1);
        requireAtLeast(at + "held_out_tasks", heldOutTasks, 0);
        requireAtLeast(at + "harder_tasks", harderTasks, 0);
        if (heldOutTasks + harderTasks < 1) {
            throw new ConfigException(at + "held_out_tasks", "held_out_tasks + harder_tasks is 0; expected 1 or more");
        }
    }

    /**
     * An episode's step budget, its keys under {@code at}: {@code step_budget} 0 (automatic: {@code budget_factor}
     * times the optimal number of steps) or more, and {@code budget_factor} in [1, 100].
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static void requireStepBudget(String at, int stepBudget, double budgetFactor) {
        if (stepBudget < 0) {
            throw new ConfigException(at + "step_budget", stepBudget + " is negative; expected 0 (automatic) or more");
        }
        requireBetween(at + "budget_factor", budgetFactor, 1, 100);
    }
}

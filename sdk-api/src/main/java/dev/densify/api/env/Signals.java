package dev.densify.api.env;

import dev.densify.api.API;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The signals a reward designer uses, as environments report them in {@link StepResult#info()}: how far the new
 * state is toward the goal, whether the action was invalid, whether the new state is invalid (for example a dead
 * end from which the goal can no longer be reached). They never decide success; the outcome does. Hand-designed
 * rewards ({@code shaper=task-reward}) and diagnostics (the critic's values on invalid states) read them.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class Signals {
    /** Progress of the state after the step toward the goal, a number in [0, 1] (1 = goal reached). */
    public static final String PROGRESS = "signal.progress";
    /** "true" when the action could not be parsed or was not allowed (the state did not change because of it). */
    public static final String INVALID_ACTION = "signal.invalid_action";
    /** "true" when the state after the step is invalid: success can no longer be reached from it (a dead end). */
    public static final String INVALID_STATE = "signal.invalid_state";

    private Signals() {
    }

    /** The info entries for these signals, to merge into a step's info. */
    public static Map<String, String> of(double progress, boolean invalidAction, boolean invalidState) {
        if (!(progress >= 0 && progress <= 1)) {
            throw new IllegalArgumentException("progress must lie in [0, 1], got " + progress);
        }
        Map<String, String> info = new HashMap<>();
        info.put(PROGRESS, Double.toString(progress));
        if (invalidAction) {
            info.put(INVALID_ACTION, "true");
        }
        if (invalidState) {
            info.put(INVALID_STATE, "true");
        }
        return info;
    }

    /** The reported progress, empty when the environment reports none or an unreadable or out-of-range one. */
    public static OptionalDouble progress(Map<String, String> info) {
        String text = info.get(PROGRESS);
        if (text == null) {
            return OptionalDouble.empty();
        }
        try {
            double p = Double.parseDouble(text);
            return p >= 0 && p <= 1 ? OptionalDouble.of(p) : OptionalDouble.empty();
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }

    public static boolean invalidAction(Map<String, String> info) {
        return "true".equals(info.get(INVALID_ACTION));
    }

    public static boolean invalidState(Map<String, String> info) {
        return "true".equals(info.get(INVALID_STATE));
    }
}

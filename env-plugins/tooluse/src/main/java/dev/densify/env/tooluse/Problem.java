package dev.densify.env.tooluse;

import java.util.List;

/**
 * A task as the environment needs it: the question, the plan of tool calls that answers it (its solver's
 * knowledge) and the right answer, which the plan's last result gives.
 */
record Problem(String question, List<String> plan, String answer) {
    Problem {
        plan = List.copyOf(plan);
    }

    /** The plan's actions, the answer included: the demonstration from the start. */
    List<String> actions() {
        List<String> actions = new java.util.ArrayList<>(plan);
        actions.add(Tools.ANSWER + "(" + answer + ")");
        return actions;
    }
}

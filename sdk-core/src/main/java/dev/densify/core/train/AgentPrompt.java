package dev.densify.core.train;

import dev.densify.api.API;
import java.util.List;

/**
 * How an observation becomes the policy's prompt and how generated text becomes an action. The environment's
 * observations are Markov (they show the whole state), so the prompt holds the current observation only; a
 * newline ends an action.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AgentPrompt {
    /** Generation stops here; the action is the text before it. */
    public static final String ACTION_END = "\n";
    static final List<String> STOP_STRINGS = List.of(ACTION_END);

    private AgentPrompt() {}

    public static String prompt(String observation) {
        return observation + "\nAction: ";
    }

    /** The text an expert demonstration teaches the policy to generate for an action. */
    public static String completion(String action) {
        return action + ACTION_END;
    }

    /** The action in generated text: up to the first newline, trimmed. */
    public static String action(String generated) {
        int end = generated.indexOf(ACTION_END);
        return (end < 0 ? generated : generated.substring(0, end)).trim();
    }
}

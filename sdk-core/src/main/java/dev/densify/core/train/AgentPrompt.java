package dev.densify.core.train;

import dev.densify.api.API;
import dev.densify.core.prompt.PromptBuilder;
import java.util.List;

/**
 * The plain format's prompt of a single observation and how generated text becomes an action; a newline ends an
 * action. Prompts of whole episodes (history, instruction, chat templates) are built by
 * {@link dev.densify.core.prompt.PromptBuilder}, which uses the same texts.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class AgentPrompt {
    /** Generation stops here; the action is the text before it. */
    public static final String ACTION_END = PromptBuilder.ACTION_END;
    static final List<String> STOP_STRINGS = List.of(ACTION_END);

    private AgentPrompt() {}

    public static String prompt(String observation) {
        return observation + PromptBuilder.ACTION_CUE;
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

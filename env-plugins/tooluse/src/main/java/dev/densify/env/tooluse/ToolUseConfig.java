package dev.densify.env.tooluse;

import dev.densify.api.API;
import dev.densify.api.config.ConfigException;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * The tool-use environment's configuration, bound from the {@code env} node; every key and its default is in
 * {@code META-INF/densify/env/tooluse.yaml}.
 *
 * @param trainTasks   number of training questions, from the training templates
 * @param heldOutTasks number of held-out questions, from the held-out templates (which need more calls)
 * @param stepBudget   calls an episode may make, the answer included; 0 sets it per task to {@code budgetFactor}
 *                     times the length of the task's plan
 * @param budgetFactor the budget as a multiple of the plan's length, when {@code stepBudget} is 0
 * @param history      how many of the latest calls and their results the observation shows
 * @param seed         seeds the parameters of all questions
 * @param view         {@code full}: every observation shows the question, the latest calls and the steps left;
 *                     {@code result}: the first shows the question, later ones only the latest call's result and
 *                     the steps left, for policies that see the conversation ({@code policy.prompt.history})
 * @param trainTemplates the training templates the training questions come from; empty for all of them
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record ToolUseConfig(int trainTasks, int heldOutTasks, int stepBudget, double budgetFactor, int history,
                            long seed, String view, java.util.List<String> trainTemplates) {

    static final int MAX_HISTORY = 8;
    /** The observation views there are. */
    static final java.util.List<String> VIEWS = java.util.List.of("full", "result");

    public static ToolUseConfig defaults() {
        return PluginConfig.defaultsOf(ToolUseConfig.class, "env", "tooluse");
    }

    /** Whether later observations show the latest result alone. */
    boolean resultView() {
        return view.equals("result");
    }

    /** Binds and checks the node, naming the offending key by its full path. */
    public static ToolUseConfig from(PluginConfig node) {
        ToolUseConfig config = node.bind(ToolUseConfig.class);
        String at = node.path().isEmpty() ? "" : node.path() + ".";
        Ranges.requireAtLeast(at + "train_tasks", config.trainTasks, 1);
        Ranges.requireAtLeast(at + "held_out_tasks", config.heldOutTasks, 1);
        if (config.stepBudget < 0) {
            throw new ConfigException(at + "step_budget", config.stepBudget
                    + " is negative; expected 0 (automatic) or more");
        }
        Ranges.requireBetween(at + "budget_factor", config.budgetFactor, 1, 100);
        Ranges.requireBetween(at + "history", config.history, 1, MAX_HISTORY);
        if (config.view == null || !VIEWS.contains(config.view)) {
            throw new ConfigException(at + "view", "'" + config.view + "' is not a view; use one of "
                    + String.join(", ", VIEWS));
        }
        java.util.List<String> known = Template.of(false).stream().map(Template::id).toList();
        for (String id : config.trainTemplates == null ? java.util.List.<String>of() : config.trainTemplates) {
            if (!known.contains(id)) {
                throw new ConfigException(at + "train_templates", "'" + id + "' is not a training template; use "
                        + "some of " + String.join(", ", known) + " (the held-out templates never train)");
            }
        }
        return config;
    }
}

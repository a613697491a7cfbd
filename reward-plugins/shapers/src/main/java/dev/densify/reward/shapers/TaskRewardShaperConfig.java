package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.config.Ranges;

/**
 * Keys of the {@code task-reward} shaper: the weights of a hand-designed reward.
 *
 * @param goalBonus added to the last step of a successful episode, on top of the outcome reward densify adds there
 *     after shaping (so 0 leaves the outcome as the only goal reward)
 * @param progressBonus scale of the progress term, progress_bonus * (p_t - p_{t-1}) with p_{-1} = 0
 * @param invalidActionPenalty subtracted on every step whose action the environment reports invalid
 * @param invalidStatePenalty subtracted on every step that leads into a state the environment reports invalid
 * @param stepCost subtracted on every step
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public record TaskRewardShaperConfig(double goalBonus, double progressBonus, double invalidActionPenalty,
                                     double invalidStatePenalty, double stepCost) {
    public TaskRewardShaperConfig {
        Ranges.requireAtLeast("goal_bonus", goalBonus, 0);
        Ranges.requireAtLeast("progress_bonus", progressBonus, 0);
        Ranges.requireAtLeast("invalid_action_penalty", invalidActionPenalty, 0);
        Ranges.requireAtLeast("invalid_state_penalty", invalidStatePenalty, 0);
        Ranges.requireAtLeast("step_cost", stepCost, 0);
    }

    public static TaskRewardShaperConfig defaults() {
        return PluginConfig.defaultsOf(TaskRewardShaperConfig.class, "shaper", "task-reward");
    }

    /** Whether a weight reads the steps' signals (goal bonus and step cost need only the outcome and the length). */
    boolean readsSignals() {
        return progressBonus != 0 || invalidActionPenalty != 0 || invalidStatePenalty != 0;
    }
}

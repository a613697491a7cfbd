package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.env.Signals;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The classic hand-designed reward, the baseline a learned dense reward has to beat, composed from the
 * {@link Signals} the environment reports in each step's info:
 * {@code r'_t = r_t + progress_bonus * (p_t - p_{t-1}) - invalid_action_penalty * [invalid action_t]
 * - invalid_state_penalty * [invalid state_t] - step_cost}, and {@code goal_bonus} on the last step of a successful
 * episode. The progress term is potential-based shaping with Phi = progress_bonus * p and gamma = 1: it telescopes
 * to {@code progress_bonus * p_{T-1}}, so it cannot be farmed by going back and forth. {@code p_{-1} = 0}: the
 * shaper does not see the reset state, and an environment whose start has progress above 0 is credited for it on
 * the first step (gridworld's progress is 0 at reset by definition). A step that reports no progress keeps the
 * last one. densify adds the outcome reward to the last step after shaping, so a success there earns the outcome
 * plus {@code goal_bonus}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class TaskRewardShaper implements RewardShaper {
    private final TaskRewardShaperConfig config;

    public TaskRewardShaper(TaskRewardShaperConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    @Override
    public double[] shape(ShapingInput episode) {
        Objects.requireNonNull(episode, "episode");
        double[] rewards = episode.stepRewards().clone();
        int length = rewards.length;
        if (length == 0) {
            return rewards;
        }
        if (config.readsSignals()) {
            if (episode.steps().isEmpty()) {
                throw new IllegalArgumentException("task-reward reads the steps' signals (progress_bonus, "
                        + "invalid_action_penalty, invalid_state_penalty are not all 0) but the episode came without"
                        + " its steps; set those weights to 0 to use goal_bonus and step_cost alone");
            }
            addSignals(rewards, episode);
        }
        for (int t = 0; t < length; t++) {
            rewards[t] -= config.stepCost();
        }
        if (episode.outcome().success()) {
            rewards[length - 1] += config.goalBonus();
        }
        return rewards;
    }

    private void addSignals(double[] rewards, ShapingInput episode) {
        double previous = 0;
        boolean reported = false;
        for (int t = 0; t < rewards.length; t++) {
            Map<String, String> info = episode.steps().get(t).info();
            OptionalDouble progress = Signals.progress(info);
            double p = progress.orElse(previous);
            reported |= progress.isPresent();
            rewards[t] += config.progressBonus() * (p - previous);
            previous = p;
            if (Signals.invalidAction(info)) {
                rewards[t] -= config.invalidActionPenalty();
            }
            if (Signals.invalidState(info)) {
                rewards[t] -= config.invalidStatePenalty();
            }
        }
        if (!reported && config.progressBonus() != 0) {
            throw new IllegalArgumentException("task-reward: progress_bonus is " + config.progressBonus()
                    + " but no step of the episode reports " + Signals.PROGRESS + " in [0, 1] in its info; the"
                    + " environment reports no progress: set shaper.progress_bonus=0");
        }
    }
}

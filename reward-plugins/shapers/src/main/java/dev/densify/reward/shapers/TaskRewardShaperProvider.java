package dev.densify.reward.shapers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.Objects;

/** Provides the {@code task-reward} shaper. */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public final class TaskRewardShaperProvider implements RewardShaperProvider {
    @Override
    public String name() {
        return "task-reward";
    }

    @Override
    public String description() {
        return "Hand-designed reward from the environment's signals: goal bonus, progress bonus, penalties for"
                + " invalid actions and states, step cost";
    }

    @Override
    public RewardShaper create(PluginConfig config) {
        return new TaskRewardShaper(Objects.requireNonNull(config, "config").bind(TaskRewardShaperConfig.class));
    }
}

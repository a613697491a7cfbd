package dev.densify.reward.shapers;

import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.testkit.RewardShaperContractTest;

class TaskRewardShaperContractTest extends RewardShaperContractTest {
    @Override
    protected RewardShaperProvider provider() {
        return new TaskRewardShaperProvider();
    }

    @Override
    protected boolean readsSteps() {
        return true;
    }
}

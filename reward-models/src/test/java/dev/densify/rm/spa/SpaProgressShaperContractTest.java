package dev.densify.rm.spa;

import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.testkit.RewardShaperContractTest;

/** The kit's shapers are unfitted (contributions 0, the grounding bonus alone): SpaProgressShaperTest checks fitted ones. */
class SpaProgressShaperContractTest extends RewardShaperContractTest {
    @Override
    protected RewardShaperProvider provider() {
        return new SpaProgressShaperProvider();
    }

    @Override
    protected boolean readsSteps() {
        return true;
    }
}

package dev.densify.rm.spa;

import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.testkit.LearnedShaperContractTest;

/**
 * The kit's shaping checks run on unfitted shapers (contributions 0, the grounding bonus alone), its fitting and
 * checkpoint checks on shapers fitted on random episodes; SpaProgressShaperTest checks what fits learn from planted
 * ones.
 */
class SpaProgressShaperContractTest extends LearnedShaperContractTest {
    @Override
    protected RewardShaperProvider provider() {
        return new SpaProgressShaperProvider();
    }
}

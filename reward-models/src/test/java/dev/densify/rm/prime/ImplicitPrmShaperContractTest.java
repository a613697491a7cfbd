package dev.densify.rm.prime;

import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.testkit.LearnedShaperContractTest;

/**
 * The kit's shaping checks run on unfitted shapers (pi_phi = pi_ref), its fitting and checkpoint checks on shapers
 * fitted on random episodes; ImplicitPrmShaperTest checks what fits learn from planted ones.
 */
class ImplicitPrmShaperContractTest extends LearnedShaperContractTest {
    @Override
    protected RewardShaperProvider provider() {
        return new ImplicitPrmShaperProvider();
    }
}

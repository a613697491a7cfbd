package dev.densify.rm.prime;

import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.testkit.RewardShaperContractTest;

/** The kit's shapers are unfitted (pi_phi = pi_ref): ImplicitPrmShaperTest checks fitted ones. */
class ImplicitPrmShaperContractTest extends RewardShaperContractTest {
    @Override
    protected RewardShaperProvider provider() {
        return new ImplicitPrmShaperProvider();
    }

    @Override
    protected boolean readsSteps() {
        return true;
    }
}

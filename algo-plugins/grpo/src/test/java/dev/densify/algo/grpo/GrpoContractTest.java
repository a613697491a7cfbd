package dev.densify.algo.grpo;

import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.testkit.PolicyOptimizerContractTest;

class GrpoContractTest extends PolicyOptimizerContractTest {
    @Override
    protected PolicyOptimizerProvider provider() {
        return new GrpoProvider();
    }

    @Override
    protected boolean groupRelative() {
        return true;
    }
}

package dev.densify.algo.grpo;

import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.testkit.PolicyOptimizerContractTest;

class RlooContractTest extends PolicyOptimizerContractTest {
    @Override
    protected PolicyOptimizerProvider provider() {
        return new RlooProvider();
    }

    @Override
    protected boolean groupRelative() {
        return true;
    }
}

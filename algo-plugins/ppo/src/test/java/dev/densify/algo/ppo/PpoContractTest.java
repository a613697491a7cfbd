package dev.densify.algo.ppo;

import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.testkit.PolicyOptimizerContractTest;

class PpoContractTest extends PolicyOptimizerContractTest {
    @Override
    protected PolicyOptimizerProvider provider() {
        return new PpoProvider();
    }
}

package dev.densify.algo.grpo;

import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.testkit.PolicyOptimizerContractTest;
import java.util.Map;

class GigpoContractTest extends PolicyOptimizerContractTest {
    @Override
    protected PolicyOptimizerProvider provider() {
        return new GigpoProvider();
    }

    @Override
    protected boolean groupRelative() {
        return true;
    }

    /** Discounted step-level returns move with an episode's length; the invariance is the undiscounted one. */
    @Override
    protected PluginConfig groupRelativeConfig() {
        return PluginConfig.of("algo", Map.of("gamma", 1.0));
    }
}

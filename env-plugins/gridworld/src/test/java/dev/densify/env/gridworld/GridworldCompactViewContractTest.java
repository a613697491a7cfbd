package dev.densify.env.gridworld;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.testkit.EnvironmentContractTest;
import java.util.Map;

/** The contract holds for the compact view too: equal state keys must still mean equal observations. */
class GridworldCompactViewContractTest extends EnvironmentContractTest {
    @Override
    protected EnvironmentProvider provider() {
        return new GridworldProvider();
    }

    @Override
    protected PluginConfig config() {
        return PluginConfig.of("env", Map.of("view", "compact"));
    }

    @Override
    protected int maxActions() {
        return 60;
    }
}

package dev.densify.env.gridworld;

import dev.densify.api.env.EnvironmentProvider;
import dev.densify.testkit.EnvironmentContractTest;

class GridworldEnvironmentContractTest extends EnvironmentContractTest {
    @Override
    protected EnvironmentProvider provider() {
        return new GridworldProvider();
    }
}

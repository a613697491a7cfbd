package dev.densify.env.sokoban;

import dev.densify.api.env.EnvironmentProvider;
import dev.densify.testkit.EnvironmentContractTest;

class SokobanEnvironmentContractTest extends EnvironmentContractTest {
    @Override
    protected EnvironmentProvider provider() {
        return new SokobanProvider();
    }

    /** Long enough to push boxes into dead ends and solved positions, where the state changes the most. */
    @Override
    protected int maxActions() {
        return 40;
    }
}

package dev.densify.env.gridworld;

import dev.densify.api.env.EnvironmentProvider;
import dev.densify.testkit.EnvironmentContractTest;

class GridworldEnvironmentContractTest extends EnvironmentContractTest {
    @Override
    protected EnvironmentProvider provider() {
        return new GridworldProvider();
    }

    /** Episodes are cheap; more of them find more states that share a key. */
    @Override
    protected int examples() {
        return 50;
    }

    /**
     * Long enough to pick up a key and pass its door: an opened door is the part of the state reached last, and a
     * state key that left it out goes unnoticed by 30-step episodes but not by 60-step ones.
     */
    @Override
    protected int maxActions() {
        return 60;
    }
}

package dev.densify.algo.ppo;

import dev.densify.testkit.ArchitectureContractTest;

class ArchitectureTest extends ArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.algo.ppo", "ai.djl..");
    }
}

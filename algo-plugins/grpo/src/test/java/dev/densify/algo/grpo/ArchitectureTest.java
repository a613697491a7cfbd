package dev.densify.algo.grpo;

import dev.densify.testkit.ArchitectureContractTest;

class ArchitectureTest extends ArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.algo.grpo", "ai.djl..");
    }
}

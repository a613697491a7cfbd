package dev.densify.reward.critic.neural;

import dev.densify.testkit.ArchitectureContractTest;

class ArchitectureTest extends ArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.reward.critic.neural", "ai.djl..");
    }
}

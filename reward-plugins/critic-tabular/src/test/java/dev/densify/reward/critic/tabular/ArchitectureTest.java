package dev.densify.reward.critic.tabular;

import dev.densify.testkit.ArchitectureContractTest;

class ArchitectureTest extends ArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.reward.critic.tabular");
    }
}

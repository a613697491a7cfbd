package dev.densify.reward.shapers;

import dev.densify.testkit.ArchitectureContractTest;

class ArchitectureTest extends ArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.reward.shapers");
    }
}

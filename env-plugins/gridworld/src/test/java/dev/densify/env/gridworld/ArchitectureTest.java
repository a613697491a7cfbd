package dev.densify.env.gridworld;

import dev.densify.testkit.ArchitectureContractTest;

class ArchitectureTest extends ArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.env.gridworld");
    }
}

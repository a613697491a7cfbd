package dev.densify.rm;

import dev.densify.testkit.ArchitectureContractTest;

/**
 * The plugin rules, for a library that may use the engine (sdk-core) and the shapers' clip-delta refinement beside
 * sdk-api: it is no plugin of its own.
 */
class ArchitectureTest extends ArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.rm", "dev.densify.core..", "dev.densify.reward.shapers..", "ai.djl..",
                "com.fasterxml.jackson..", "org.slf4j..");
    }
}

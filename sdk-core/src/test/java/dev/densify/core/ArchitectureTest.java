package dev.densify.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import dev.densify.testkit.ModuleArchitectureContractTest;
import org.junit.jupiter.api.Test;

/** The rules of every module (no package cycles, no printing, stability markers), and the engine's own. */
class ArchitectureTest extends ModuleArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.core");
    }

    @Test
    void importsNoPlugin() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.densify.env..", "dev.densify.reward..", "dev.densify.algo..", "dev.densify.cli..")
                .because("the engine finds plugins only through ServiceLoader, so a plugin is a class path change")
                .check(classes());
    }

    @Test
    void doesNotUsePicocli() {
        noClasses().should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("command-line parsing belongs to the cli module")
                .check(classes());
    }
}

package dev.densify.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.densify.testkit.PluginArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.densify.core");

    @Test
    void importsNoPlugin() {
        noClasses().should().dependOnClassesThat()
                .resideInAnyPackage("dev.densify.env..", "dev.densify.reward..", "dev.densify.algo..", "dev.densify.cli..")
                .because("the engine finds plugins only through ServiceLoader, so a plugin is a class path change")
                .check(CORE);
    }

    @Test
    void packagesAreFreeOfCycles() {
        PluginArchitecture.packagesAreFreeOfCycles().check(CORE);
    }

    @Test
    void neverWritesToStandardStreams() {
        GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
                .because("only the command line prints; the engine logs through SLF4J")
                .check(CORE);
    }

    @Test
    void doesNotUsePicocli() {
        noClasses().should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("command-line parsing belongs to the cli module")
                .check(CORE);
    }

    @Test
    void everyPublicTypeStatesItsStability() {
        PluginArchitecture.everyPublicTypeStatesItsStability().check(CORE);
    }

    @Test
    void publicSignaturesExposeNoInternalType() {
        PluginArchitecture.publicSignaturesExposeNoInternalType().check(CORE);
    }
}

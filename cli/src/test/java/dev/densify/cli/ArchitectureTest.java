package dev.densify.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.densify.api.API;
import dev.densify.testkit.PluginArchitecture;
import org.junit.jupiter.api.Test;

/** Rules over all of densify as the command line's class path holds it: sdk-api, sdk-core, the plugins, the cli. */
class ArchitectureTest {
    private static final String[] PLUGINS = {"dev.densify.env..", "dev.densify.reward..", "dev.densify.algo.."};

    private static final JavaClasses DENSIFY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.densify");

    @Test
    void packagesFormNoCycles() {
        PluginArchitecture.packagesAreFreeOfCycles().check(DENSIFY);
    }

    @Test
    void onlyTheCommandLinePrints() {
        noClasses().that().resideOutsideOfPackage("dev.densify.cli..")
                .should(GeneralCodingRules.ACCESS_STANDARD_STREAMS)
                .because("the engine and plugins log through SLF4J; standard output belongs to the command line")
                .check(DENSIFY);
    }

    @Test
    void sdkCoreImportsNoPlugin() {
        noClasses().that().resideInAPackage("dev.densify.core..")
                .should().dependOnClassesThat().resideInAnyPackage(PLUGINS)
                .because("the engine finds plugins only through ServiceLoader")
                .check(DENSIFY);
    }

    @Test
    void onlyTheCommandLineUsesPicocli() {
        noClasses().that().resideOutsideOfPackage("dev.densify.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("command-line parsing must not leak into the SDK or plugins")
                .check(DENSIFY);
    }

    @Test
    void pluginsImportNeitherTheEngineNorTheCommandLine() {
        noClasses().that().resideInAnyPackage(PLUGINS)
                .should().dependOnClassesThat().resideInAnyPackage("dev.densify.core..", "dev.densify.cli..")
                .because("plugins build against sdk-api only")
                .allowEmptyShould(true)
                .check(DENSIFY);
    }

    @Test
    void everyPublicCommandLineTypeStatesItsStability() {
        classes().that().arePublic().and().resideInAPackage("dev.densify.cli..")
                .should().beAnnotatedWith(API.class)
                .check(DENSIFY);
    }

    @Test
    void publicSignaturesExposeNoInternalType() {
        PluginArchitecture.publicSignaturesExposeNoInternalType().check(DENSIFY);
    }
}

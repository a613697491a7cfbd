package dev.densify.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.densify.api.API;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.densify.testkit");

    @Test
    void everyPublicTypeStatesItsStability() {
        classes().that().arePublic()
                .should().beAnnotatedWith(API.class)
                .because("plugin authors must know what they may build against")
                .check(classes);
    }

    @Test
    void dependsOnlyOnTheSdkApiJunitQuickTheoriesAndArchUnit() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.densify.api..", "dev.densify.testkit..", "java..", "org.junit..",
                        "org.opentest4j..", "org.quicktheories..", "com.tngtech.archunit..")
                .because("the kit is for plugin authors: it sees environments only through the sdk-api contract")
                .check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        PluginArchitecture.packagesAreFreeOfCycles().check(classes);
    }

    @Test
    void theKitAndTheSdkApiExposeNoInternalType() {
        PluginArchitecture.publicSignaturesExposeNoInternalType().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.densify.testkit", "dev.densify.api"));
    }
}

package dev.densify.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.densify.api");

    @Test
    void everyPublicTypeStatesItsStability() {
        classes().that().arePublic()
                .should().beAnnotatedWith(API.class)
                .because("plugin authors must know what they may build against")
                .check(classes);
    }

    /** The rule every other module takes from sdk-testkit's PluginArchitecture, which sdk-api cannot depend on. */
    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void dependsOnNothingButTheJdkAndDjlApi() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.densify.api..", "java..", "ai.djl.ndarray..")
                .because("the SDK contract must stay free of frameworks and of densify's engine")
                .check(classes);
    }
}

package dev.densify.env.gridworld;

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
            .importPackages("dev.densify.env.gridworld");

    @Test
    void everyPublicTypeStatesItsStability() {
        classes().that().arePublic()
                .should().beAnnotatedWith(API.class)
                .because("plugin authors and users must know what they may build against")
                .check(classes);
    }

    @Test
    void importsOnlyTheSdkApiAndTheJdk() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.densify.api..", "dev.densify.env.gridworld..", "java..")
                .because("a plugin sees densify only through sdk-api: no sdk-core, no other plugin, no framework")
                .check(classes);
    }
}

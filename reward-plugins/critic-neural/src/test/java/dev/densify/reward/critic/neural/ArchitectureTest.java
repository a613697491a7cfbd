package dev.densify.reward.critic.neural;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.densify.api.API;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.densify.reward.critic.neural");

    @Test
    void dependsOnlyOnTheSdkApiTheJdkAndDjl() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("dev.densify.api..", "dev.densify.reward.critic.neural..", "java..", "ai.djl..")
                .because("a plugin sees densify only through its API: no core, no other plugin, no framework")
                .check(classes);
    }

    @Test
    void everyPublicTypeStatesItsStability() {
        classes().that().arePublic().should().beAnnotatedWith(API.class).check(classes);
    }
}

package dev.densify.reward.critic.tabular;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.densify.api.API;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final String HOME = "dev.densify.reward.critic.tabular..";

    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.densify.reward.critic.tabular");

    @Test
    void doesNotImportTheEngine() {
        noClasses().should().dependOnClassesThat().resideInAPackage("dev.densify.core..")
                .because("plugins see densify only through sdk-api").check(classes);
    }

    @Test
    void doesNotImportOtherPlugins() {
        noClasses().should().dependOnClassesThat(
                        resideInAnyPackage("dev.densify.reward..", "dev.densify.env..", "dev.densify.algo..")
                                .and(DescribedPredicate.not(resideInAPackage(HOME))))
                .because("a plugin that is not on the classpath must simply be absent").check(classes);
    }

    @Test
    void doesNotImportFrameworks() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "com.google.inject..", "com.fasterxml.jackson..", "redis.clients..", "picocli..")
                .because("frameworks belong to the engine").check(classes);
    }

    @Test
    void everyPublicTypeStatesItsStability() {
        classes().that().arePublic().should().beAnnotatedWith(API.class).check(classes);
    }
}

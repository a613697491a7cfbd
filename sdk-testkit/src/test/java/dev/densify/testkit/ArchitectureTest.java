package dev.densify.testkit;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The kit keeps the rules it gives plugins: it is for plugin authors, so it sees plugins only through the sdk-api
 * contract, and depends on nothing beside it but JUnit, QuickTheories and ArchUnit.
 */
class ArchitectureTest extends ArchitectureContractTest {
    ArchitectureTest() {
        super("dev.densify.testkit", "org.junit..", "org.opentest4j..", "org.quicktheories..", "com.tngtech.archunit..");
    }

    @Test
    void theKitAndTheSdkApiExposeNoInternalType() {
        PluginArchitecture.publicSignaturesExposeNoInternalType().check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.densify.testkit", "dev.densify.api"));
    }
}

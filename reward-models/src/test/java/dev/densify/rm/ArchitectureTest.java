package dev.densify.rm;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.densify.testkit.PluginArchitecture;
import org.junit.jupiter.api.Test;

/** The plugin rules that fit a library on sdk-core (it is no plugin: it may use the engine). */
class ArchitectureTest {
    private static final String HOME = "dev.densify.rm";

    private final JavaClasses classes = PluginArchitecture.importPlugin(HOME);

    @Test
    void everyPublicTypeStatesItsStability() {
        PluginArchitecture.everyPublicTypeStatesItsStability().check(classes);
    }

    @Test
    void publicSignaturesExposeNoInternalType() {
        PluginArchitecture.publicSignaturesExposeNoInternalType().check(classes);
    }

    @Test
    void doesNotPrint() {
        PluginArchitecture.doesNotPrint().check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        PluginArchitecture.packagesAreFreeOfCycles().check(classes);
    }
}

package dev.densify.env.process;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.densify.testkit.PluginArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final String HOME = "dev.densify.env.process";

    private final JavaClasses classes = PluginArchitecture.importPlugin(HOME);

    @Test
    void dependsOnlyOnTheSdkApiAndTheJdk() {
        PluginArchitecture.dependsOnlyOnTheSdkApi(HOME).check(classes);
    }

    @Test
    void doesNotPrint() {
        PluginArchitecture.doesNotPrint().check(classes);
    }

    @Test
    void everyPublicTypeStatesItsStability() {
        PluginArchitecture.everyPublicTypeStatesItsStability().check(classes);
    }
}

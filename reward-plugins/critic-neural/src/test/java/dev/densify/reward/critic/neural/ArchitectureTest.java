package dev.densify.reward.critic.neural;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.densify.testkit.PluginArchitecture;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final String HOME = "dev.densify.reward.critic.neural";

    private final JavaClasses classes = PluginArchitecture.importPlugin(HOME);

    @Test
    void dependsOnlyOnTheSdkApiTheJdkAndDjl() {
        PluginArchitecture.dependsOnlyOnTheSdkApi(HOME, "ai.djl..").check(classes);
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

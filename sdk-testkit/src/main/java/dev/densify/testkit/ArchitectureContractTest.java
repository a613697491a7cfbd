package dev.densify.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.densify.api.API;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The {@link PluginArchitecture} rules as one test class a plugin module extends with its package, e.g.
 * {@code class ArchitectureTest extends ArchitectureContractTest { ArchitectureTest() { super("dev.example.maze",
 * "ai.djl.."); } }}; each rule is a test of its own, so a failure names the rule.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public abstract class ArchitectureContractTest {
    private final String home;
    private final String[] alsoAllowed;
    private final JavaClasses classes;

    /**
     * @param home the plugin's package
     * @param alsoAllowed packages the plugin may depend on beside sdk-api and the JDK (e.g. {@code ai.djl..})
     */
    protected ArchitectureContractTest(String home, String... alsoAllowed) {
        this.home = Objects.requireNonNull(home, "home");
        this.alsoAllowed = alsoAllowed.clone();
        this.classes = PluginArchitecture.importPlugin(home);
    }

    @Test
    void dependsOnlyOnTheSdkApi() {
        PluginArchitecture.dependsOnlyOnTheSdkApi(home, alsoAllowed).check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        PluginArchitecture.packagesAreFreeOfCycles().check(classes);
    }

    @Test
    void doesNotPrint() {
        PluginArchitecture.doesNotPrint().check(classes);
    }

    @Test
    void everyPublicTypeStatesItsStability() {
        PluginArchitecture.everyPublicTypeStatesItsStability().check(classes);
    }

    @Test
    void publicSignaturesExposeNoInternalType() {
        PluginArchitecture.publicSignaturesExposeNoInternalType().check(classes);
    }

    @Test
    void everyProviderIsRegistered() {
        PluginArchitecture.everyProviderIsRegistered().check(classes);
    }
}

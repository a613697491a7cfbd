package dev.densify.testkit;

import dev.densify.api.API;
import org.junit.jupiter.api.Test;

/**
 * The {@link PluginArchitecture} rules as one test class a plugin module extends with its package, e.g.
 * {@code class ArchitectureTest extends ArchitectureContractTest { ArchitectureTest() { super("dev.example.maze",
 * "ai.djl.."); } }}: the rules of every module ({@link ModuleArchitectureContractTest}) and the plugin's own; each rule
 * is a test of its own, so a failure names the rule.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public abstract class ArchitectureContractTest extends ModuleArchitectureContractTest {
    private final String[] alsoAllowed;

    /**
     * @param home the plugin's package
     * @param alsoAllowed packages the plugin may depend on beside sdk-api and the JDK (e.g. {@code ai.djl..})
     */
    protected ArchitectureContractTest(String home, String... alsoAllowed) {
        super(home);
        this.alsoAllowed = alsoAllowed.clone();
    }

    @Test
    void dependsOnlyOnTheSdkApi() {
        PluginArchitecture.dependsOnlyOnTheSdkApi(home(), alsoAllowed).check(classes());
    }

    @Test
    void everyProviderIsRegistered() {
        PluginArchitecture.everyProviderIsRegistered().check(classes());
    }
}

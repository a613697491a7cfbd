package dev.densify.testkit;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.densify.api.API;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * The {@link PluginArchitecture} rules every module with main code keeps, plugin or not, as one test class to extend
 * with the module's package, e.g. {@code class ArchitectureTest extends ModuleArchitectureContractTest {
 * ArchitectureTest() { super("dev.densify.core"); } }}; each rule is a test of its own, so a failure names the rule.
 * A plugin module extends {@link ArchitectureContractTest}, which adds the plugin's own rules.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.2")
public abstract class ModuleArchitectureContractTest {
    private final String home;
    private final JavaClasses classes;

    /** @param home the module's package; its production classes and its subpackages' are checked */
    protected ModuleArchitectureContractTest(String home) {
        this.home = Objects.requireNonNull(home, "home");
        this.classes = PluginArchitecture.importPlugin(home);
    }

    /** The module's package. */
    protected final String home() {
        return home;
    }

    /** The module's production classes, for the rules a module adds of its own. */
    protected final JavaClasses classes() {
        return classes;
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
}

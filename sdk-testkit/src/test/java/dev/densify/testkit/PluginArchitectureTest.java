package dev.densify.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.densify.api.API;
import dev.densify.testkit.cycle.North;
import dev.densify.testkit.cycle.Upstream;
import dev.densify.testkit.cycle.south.Leaf;
import dev.densify.testkit.cycle.south.South;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

class PluginArchitectureTest {

    private static final String HOME = "dev.densify.testkit";

    static final class Quiet {
        int twice(int x) {
            return 2 * x;
        }
    }

    /** Depends on a class of its own package. */
    static final class Delegating {
        int four() {
            return new Quiet().twice(2);
        }
    }

    static final class Loud {
        void shout() {
            System.out.println("plugins must not print");
        }
    }

    static final class UsesJunit {
        void check() {
            Assertions.fail("never called");
        }
    }

    public static final class Unmarked {}

    @API(status = API.Status.INTERNAL, since = "0.1")
    public static final class Marked {}

    private static JavaClasses of(Class<?>... types) {
        return new ClassFileImporter().importClasses(types);
    }

    @Test
    void importsThePluginsProductionClassesOnly() {
        JavaClasses classes = PluginArchitecture.importPlugin(HOME);
        assertTrue(classes.contain(PluginArchitecture.class));
        assertFalse(classes.contain(PluginArchitectureTest.class));
    }

    @Test
    void aDependencyOutsideTheSdkApiTheJdkAndHomeFailsUnlessAllowed() {
        PluginArchitecture.dependsOnlyOnTheSdkApi(HOME).check(of(Quiet.class, Delegating.class, Loud.class,
                Marked.class));
        assertThrows(AssertionError.class,
                () -> PluginArchitecture.dependsOnlyOnTheSdkApi(HOME).check(of(UsesJunit.class)));
        PluginArchitecture.dependsOnlyOnTheSdkApi(HOME, "org.junit..", "org.opentest4j..").check(of(UsesJunit.class));
        assertThrows(AssertionError.class, () -> PluginArchitecture.dependsOnlyOnTheSdkApi("dev.densify.other")
                .check(of(Delegating.class)));
    }

    @Test
    void printingFails() {
        PluginArchitecture.doesNotPrint().check(of(Quiet.class, UsesJunit.class));
        assertThrows(AssertionError.class, () -> PluginArchitecture.doesNotPrint().check(of(Loud.class)));
    }

    @Test
    void aPackageCycleFailsNamingItsPackagesTheTopPackageIncluded() {
        PluginArchitecture.packagesAreFreeOfCycles().check(of(Upstream.class, Leaf.class, Quiet.class));
        AssertionError cycle = assertThrows(AssertionError.class,
                () -> PluginArchitecture.packagesAreFreeOfCycles().check(of(North.class, South.class, Leaf.class)));
        assertTrue(cycle.getMessage().contains("dev.densify.testkit.cycle.south")
                && cycle.getMessage().contains("dev.densify.testkit.cycle.North"), cycle.getMessage());
    }

    @Test
    void aPublicTypeWithoutStabilityFails() {
        PluginArchitecture.everyPublicTypeStatesItsStability().check(of(Marked.class, Quiet.class));
        assertThrows(AssertionError.class,
                () -> PluginArchitecture.everyPublicTypeStatesItsStability().check(of(Unmarked.class)));
    }

    @Test
    void aProviderMissingFromItsServicesFileFails() {
        PluginArchitecture.everyProviderIsRegistered().check(of(CorridorProvider.class, CorridorProvider.Correct.class,
                ShaperFixtures.Correct.class));
        AssertionError missing = assertThrows(AssertionError.class,
                () -> PluginArchitecture.everyProviderIsRegistered().check(of(CorridorProvider.Unregistered.class)));
        assertTrue(missing.getMessage().contains(
                "is not listed in META-INF/services/dev.densify.api.env.EnvironmentProvider"), missing.getMessage());
    }
}

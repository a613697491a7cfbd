package dev.densify.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Set;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.GeneralCodingRules;
import dev.densify.api.API;
import dev.densify.api.plugin.PluginProvider;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.lang.reflect.Modifier;
import java.util.ServiceLoader;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The ArchUnit rules every plugin module keeps. A plugin's own {@code ArchitectureTest} imports its classes with
 * {@link #importPlugin} and checks each rule in a test method of its own, so that a failure names the rule and
 * the module, e.g.
 * {@code PluginArchitecture.dependsOnlyOnTheSdkApi("dev.densify.algo.ppo", "ai.djl..").check(classes)}
 * ({@link ArchitectureContractTest} does so for every rule). Modules that are no plugin (the engine, the command
 * line) take the rules that fit them from here too, {@link #packagesAreFreeOfCycles} first among them.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PluginArchitecture {

    private PluginArchitecture() {}

    /** The production classes of the plugin's package {@code home} and its subpackages, without tests or jars. */
    public static JavaClasses importPlugin(String home) {
        Objects.requireNonNull(home, "home");
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(home);
    }

    /**
     * The plugin depends only on sdk-api, the JDK, its own package {@code home} and the packages in
     * {@code alsoAllowed} (ArchUnit package patterns such as {@code ai.djl..}): so never on densify's engine,
     * another plugin, or a framework (Guice, Jackson, Jedis, Picocli).
     */
    public static ArchRule dependsOnlyOnTheSdkApi(String home, String... alsoAllowed) {
        Objects.requireNonNull(home, "home");
        String[] allowed = Stream.concat(Stream.of("dev.densify.api..", home + "..", "java.."),
                Arrays.stream(Objects.requireNonNull(alsoAllowed, "alsoAllowed"))).toArray(String[]::new);
        return classes().should().onlyDependOnClassesThat().resideInAnyPackage(allowed)
                .because("a plugin sees densify only through sdk-api and what its architecture test also allows: no"
                        + " sdk-core, no other plugin (one that is not on the class path must simply be absent), no"
                        + " framework");
    }

    /**
     * No package of the checked classes needs, through any chain of dependencies, a package that needs it back: each
     * package (its own slice, the module's top package included) can be read, tested and replaced on its own. Every
     * module with main code checks it, plugin or not; dependencies on classes outside the import do not count.
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.2")
    public static ArchRule packagesAreFreeOfCycles() {
        return slices().matching("(**)").should().beFreeOfCycles()
                .because("a package that needs another must not be needed back: each can be read, tested and replaced"
                        + " on its own");
    }

    /** No class writes to standard output or error (nor prints stack traces): only the CLI prints. */
    public static ArchRule doesNotPrint() {
        return GeneralCodingRules.NO_CLASSES_SHOULD_ACCESS_STANDARD_STREAMS
                .because("plugins log through SLF4J; only the CLI writes to standard output");
    }

    /** Every public type carries {@link API}, so that users know what they may build against. */
    public static ArchRule everyPublicTypeStatesItsStability() {
        return classes().that().arePublic().should().beAnnotatedWith(API.class)
                .because("plugin authors and users must know what they may build against");
    }

    /**
     * No STABLE or EXPERIMENTAL type names an INTERNAL one in its public or protected signatures (return types,
     * parameter types, fields, supertypes): what users may build against never leads them to what they may not.
     */
    public static ArchRule publicSignaturesExposeNoInternalType() {
        return classes().that().areAnnotatedWith(API.class).should(new ArchCondition<JavaClass>(
                "not expose an INTERNAL type in a public signature") {
            @Override
            public void check(JavaClass type, ConditionEvents events) {
                if (!type.getModifiers().contains(JavaModifier.PUBLIC) || status(type) == API.Status.INTERNAL) {
                    return;
                }
                for (JavaClass exposed : type.getRawInterfaces()) {
                    report(type, "implements", exposed, events);
                }
                type.getRawSuperclass().ifPresent(exposed -> report(type, "extends", exposed, events));
                for (JavaMember member : type.getMembers()) {
                    Set<JavaModifier> modifiers = member.getModifiers();
                    if (!modifiers.contains(JavaModifier.PUBLIC) && !modifiers.contains(JavaModifier.PROTECTED)) {
                        continue;
                    }
                    if (member instanceof JavaCodeUnit unit) {
                        report(type, unit.getFullName() + " returns", unit.getRawReturnType(), events);
                        for (JavaClass parameter : unit.getRawParameterTypes()) {
                            report(type, unit.getFullName() + " takes", parameter, events);
                        }
                    } else if (member instanceof JavaField field) {
                        report(type, field.getFullName() + " is", field.getRawType(), events);
                    }
                }
            }

            private void report(JavaClass owner, String where, JavaClass exposed, ConditionEvents events) {
                JavaClass base = exposed.getBaseComponentType();
                if (status(base) == API.Status.INTERNAL && !base.equals(owner)) {
                    events.add(SimpleConditionEvent.violated(owner, owner.getName() + " (" + status(owner) + "): "
                            + where + " " + base.getName() + ", which is INTERNAL"));
                }
            }
        }).because("users must be able to stay on STABLE and EXPERIMENTAL types");
    }

    /**
     * Every concrete provider class of the plugin is listed in the services file of its kind
     * ({@code META-INF/services/<kind's provider interface>}), so that ServiceLoader finds it: a provider left out of
     * the file is a plugin nobody can select, and no test of its own behaviour notices.
     */
    public static ArchRule everyProviderIsRegistered() {
        // Reflection rather than ArchUnit's type hierarchy: modules may import without the sdk-api classes resolved.
        return classes().should(new ArchCondition<JavaClass>("be found by ServiceLoader under its kind, if a provider") {
            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                Class<?> type = javaClass.reflect();
                if (!PluginProvider.class.isAssignableFrom(type) || type.isInterface()
                        || Modifier.isAbstract(type.getModifiers())) {
                    return;
                }
                List<Class<?>> kinds = kindsOf(type);
                if (kinds.isEmpty()) {
                    events.add(SimpleConditionEvent.violated(javaClass, type.getName() + " implements PluginProvider"
                            + " but none of its kinds (EnvironmentProvider, CriticProvider, ...)"));
                }
                for (Class<?> kind : kinds) {
                    boolean found = ServiceLoader.load(kind, type.getClassLoader()).stream()
                            .anyMatch(provider -> provider.type() == type);
                    if (!found) {
                        events.add(SimpleConditionEvent.violated(javaClass, type.getName() + " is not listed in "
                                + "META-INF/services/" + kind.getName() + ": ServiceLoader does not find it"));
                    }
                }
            }
        }).because("a provider ServiceLoader does not find is a plugin nobody can select");
    }

    /** The provider interfaces below PluginProvider that {@code type} implements: the services files it belongs in. */
    private static List<Class<?>> kindsOf(Class<?> type) {
        Set<Class<?>> kinds = new LinkedHashSet<>();
        Deque<Class<?>> pending = new ArrayDeque<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            pending.addAll(Arrays.asList(c.getInterfaces()));
        }
        while (!pending.isEmpty()) {
            Class<?> next = pending.pop();
            if (next != PluginProvider.class && PluginProvider.class.isAssignableFrom(next) && kinds.add(next)) {
                pending.addAll(Arrays.asList(next.getInterfaces()));
            }
        }
        return List.copyOf(kinds);
    }

    private static API.Status status(JavaClass type) {
        return type.tryGetAnnotationOfType(API.class).map(API::status).orElse(null);
    }
}

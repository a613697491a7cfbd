package dev.densify.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginContext;
import dev.densify.api.env.Environment;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.env.Task;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PluginRegistryTest {

    @Test
    void listsEveryKindWithDescriptionJarAndVersion() throws IOException {
        Path jar = FixtureJars.jar("acme");
        try (URLClassLoader loader = FixtureJars.loader(jar)) {
            PluginRegistry registry = PluginRegistry.discover(loader);

            List<PluginInfo> all = registry.plugins();
            assertEquals(List.of("env/counter", "critic/constant", "shaper/scaled", "normalizer/clipped", "algo/plain",
                            "buffer/acme-queue", "buffer/memory", "buffer/redis"),
                    all.stream().map(p -> p.kind() + "/" + p.name()).toList());
            PluginInfo counter = registry.info(PluginKind.ENV, "counter");
            assertEquals("Counts to a target.", counter.description());
            assertEquals("dev.acme.CounterEnvironmentProvider", counter.className());
            assertEquals(jar, counter.jar());
            assertEquals("acme.jar", counter.jarName());
            assertEquals("1.2.3", counter.version());
            assertEquals(Set.of("scaled"), registry.names(PluginKind.SHAPER));
        }
    }

    @Test
    void providersCreateWorkingPlugins() throws IOException {
        try (URLClassLoader loader = FixtureJars.loader(FixtureJars.jar("acme"))) {
            EnvironmentProvider provider = PluginRegistry.discover(loader).provider(PluginKind.ENV, "counter");
            Object created = PluginKind.ENV.create(provider, PluginConfig.of("env",
                    Map.of("size", 2, "label", "c", "weights", List.of(), "limits", Map.of("low", 0, "high", 1))),
                    PluginContext.standalone());
            try (Environment env = (Environment) created) {
                env.reset(new Task("t", "count", Map.of()), 0);
                env.step("inc");
                assertTrue(env.step("inc").done());
            }
        }
    }

    @Test
    void aClassPathWithoutPluginJarsHasOnlyTheCoresBuffers() {
        PluginRegistry registry = PluginRegistry.discover(getClass().getClassLoader());
        assertEquals(List.of("buffer/memory", "buffer/redis"),
                registry.plugins().stream().map(p -> p.kind() + "/" + p.name()).toList());
    }

    @Test
    void duplicateNamesNameBothJars() throws IOException {
        Path acme = FixtureJars.jar("acme");
        Path copy = FixtureJars.jar("acme-copy");
        try (URLClassLoader loader = FixtureJars.loader(acme, copy)) {
            PluginException e = assertThrows(PluginException.class, () -> PluginRegistry.discover(loader));
            assertEquals(1, e.problems().size(), e.getMessage());
            String problem = e.problems().get(0);
            assertTrue(problem.startsWith("env name 'counter' is used by two providers"), problem);
            assertTrue(problem.contains("dev.acme.CounterEnvironmentProvider in " + acme), problem);
            assertTrue(problem.contains("dev.copycat.CopiedCounterProvider in " + copy), problem);
        }
    }

    @Test
    void theSameProviderInTwoJarsNamesBothJars() throws IOException {
        Path first = FixtureJars.jar("acme", "1.2.3", "a");
        Path second = FixtureJars.jar("acme", "1.3.0", "b");
        try (URLClassLoader loader = FixtureJars.loader(first, second)) {
            PluginException e = assertThrows(PluginException.class, () -> PluginRegistry.discover(loader));
            assertEquals(6, e.problems().size(), e.getMessage());
            assertTrue(e.problems().contains("env provider dev.acme.CounterEnvironmentProvider is in more than one jar: "
                    + first + " and " + second + "; keep only one of them"), e.getMessage());
        }
    }

    @Test
    void unknownNamesListTheKnownOnes() throws IOException {
        try (URLClassLoader loader = FixtureJars.loader(FixtureJars.jar("acme"))) {
            PluginRegistry registry = PluginRegistry.discover(loader);
            PluginException e = assertThrows(PluginException.class, () -> registry.provider(PluginKind.ENV, "maze"));
            assertEquals("unknown env plugin 'maze'; known: [counter]", e.getMessage());
        }
        PluginRegistry empty = PluginRegistry.discover(getClass().getClassLoader());
        PluginException e = assertThrows(PluginException.class, () -> empty.info(PluginKind.ALGO, "ppo"));
        assertEquals("unknown algo plugin 'ppo'; no algo plugins are on the class path", e.getMessage());
    }

    @Test
    void providersThatCannotBeLoadedOrCreatedNameTheirClassAndJar() throws IOException {
        Path broken = FixtureJars.jar("broken");
        try (URLClassLoader loader = FixtureJars.loader(FixtureJars.jar("acme"), broken)) {
            PluginException e = assertThrows(PluginException.class, () -> PluginRegistry.discover(loader));
            assertEquals(2, e.problems().size(), e.getMessage());
            String exploding = e.problems().stream().filter(p -> p.contains("ExplodingCriticProvider")).findFirst()
                    .orElseThrow(() -> new AssertionError(e.getMessage()));
            assertTrue(exploding.startsWith("critic provider dev.broken.ExplodingCriticProvider in " + broken
                    + " cannot be created"), exploding);
            assertTrue(exploding.contains("no licence found"), exploding);
            String missing = e.problems().stream().filter(p -> p.contains("dev.broken.Missing")).findFirst()
                    .orElseThrow(() -> new AssertionError(e.getMessage()));
            assertTrue(missing.startsWith("critic provider cannot be loaded (listed in " + broken + ")"), missing);
        }
    }
}

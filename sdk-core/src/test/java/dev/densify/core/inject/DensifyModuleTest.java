package dev.densify.core.inject;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import com.google.inject.util.Modules;
import dev.densify.api.algo.EpisodeRewards;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticState;
import dev.densify.api.env.Environment;
import dev.densify.api.env.Outcome;
import dev.densify.api.env.Task;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.reward.GroupedRewards;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.ShapingInput;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.config.ConfigComposer;
import dev.densify.core.config.ConfigRequest;
import dev.densify.core.plugin.FixtureJars;
import dev.densify.core.plugin.PluginRegistry;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DensifyModuleTest {
    private static URLClassLoader loader;
    private static PluginRegistry registry;
    private static ConfigComposer composer;
    private static ComposedConfig config;

    @BeforeAll
    static void compose() {
        loader = FixtureJars.loader(FixtureJars.jar("acme"));
        registry = PluginRegistry.discover(loader);
        composer = new ConfigComposer(registry, "META-INF/densify/test-primary.yaml");
        config = composer.compose(ConfigRequest.of("env.size=3", "critic.value=0.25"));
    }

    @AfterAll
    static void close() throws IOException {
        loader.close();
    }

    /** A consumer as the engine writes one: it asks for the parts it needs by type. */
    static final class ShapingStage {
        final RewardShaper shaper;
        final EnvironmentProvider environments;
        final PluginConfig environmentConfig;

        @Inject
        ShapingStage(RewardShaper shaper, EnvironmentProvider environments,
                     @Named("env") PluginConfig environmentConfig) {
            this.shaper = shaper;
            this.environments = environments;
            this.environmentConfig = environmentConfig;
        }

        Environment environment() {
            return environments.create(environmentConfig);
        }
    }

    /** A shaper written for this test: each step is rewarded with its index. */
    static final class StepIndexShaper implements RewardShaper {
        @Override
        public double[] shape(ShapingInput episode) {
            double[] out = new double[episode.length()];
            for (int i = 0; i < out.length; i++) {
                out[i] = i;
            }
            return out;
        }
    }

    private static ShapingInput episode(double... stepRewards) {
        return new ShapingInput(stepRewards, new Outcome(1.0, true), new double[stepRewards.length + 1], true);
    }

    /** Steps the environment with "inc" until done; the number of steps tells its configured size. */
    private static int stepsToFinish(Environment env) {
        env.reset(new Task("t", "count", Map.of()), 0);
        int steps = 1;
        while (!env.step("inc").done()) {
            steps++;
        }
        return steps;
    }

    @Test
    void bindsTheConfigurationTheRegistryAndTheSelectedPlugins() {
        Injector injector = Guice.createInjector(new DensifyModule(config, registry));
        assertSame(config, injector.getInstance(ComposedConfig.class));
        assertSame(registry, injector.getInstance(PluginRegistry.class));
        assertEquals(config.group("trainer").asMap(),
                injector.getInstance(Key.get(PluginConfig.class, Names.named("trainer"))).asMap());

        ShapingStage stage = injector.getInstance(ShapingStage.class);
        assertArrayEquals(new double[] {2.0, -4.0}, stage.shaper.shape(episode(1.0, -2.0)), "scaled by factor 2");
        try (Environment first = stage.environment(); Environment second = stage.environment()) {
            assertNotSame(first, second, "each create() makes an environment");
            assertEquals(3, stepsToFinish(first));
        }
        try (Critic critic = injector.getInstance(Critic.class)) {
            assertArrayEquals(new double[] {0.25}, critic.predict(List.of(CriticState.ofKey("s"))));
        }
        assertArrayEquals(new double[] {1.0, -1.0}, injector.getInstance(Normalizer.class)
                .normalize(List.of(new GroupedRewards("g", new double[] {3.0, -3.0}))).get(0));
        PolicyOptimizer algo = injector.getInstance(PolicyOptimizer.class);
        assertFalse(algo.usesCritic());
        assertArrayEquals(new double[] {3.0, 2.0}, algo.advantages(List.of(new EpisodeRewards("g",
                new double[] {1.0, 2.0}, new double[3], true, List.of("a", "b")))).get(0).advantages());
        assertEquals("t0", stage.environments.tasks(stage.environmentConfig).train().get(0).id());
    }

    @Test
    void overridingOneBindingSwapsThatPartOnly() {
        Injector injector = Guice.createInjector(Modules.override(new DensifyModule(config, registry))
                .with(new AbstractModule() {
                    @Override
                    protected void configure() {
                        bind(RewardShaper.class).to(StepIndexShaper.class);
                    }
                }));
        ShapingStage stage = injector.getInstance(ShapingStage.class);
        assertArrayEquals(new double[] {0.0, 1.0, 2.0}, stage.shaper.shape(episode(5.0, 5.0, 5.0)));
        try (Environment env = stage.environment()) {
            assertEquals(3, stepsToFinish(env), "the environment is still the configured one");
        }
    }

    @Test
    void overridingAGroupsNodeReconfiguresItsPlugin() {
        PluginConfig smaller = composer.compose(ConfigRequest.of("env.size=7").onlyGroups("env")).group("env");
        Injector injector = Guice.createInjector(Modules.override(new DensifyModule(config, registry))
                .with(binder -> binder.bind(PluginConfig.class).annotatedWith(Names.named("env")).toInstance(smaller)));
        try (Environment env = injector.getInstance(ShapingStage.class).environment()) {
            assertEquals(7, stepsToFinish(env));
        }
    }

    @Test
    void aRunNeedsEveryPluginGroup() {
        ComposedConfig envOnly = composer.compose(ConfigRequest.of().onlyGroups("env"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DensifyModule(envOnly, registry));
        assertTrue(e.getMessage().contains("'critic'"), e.getMessage());
    }
}

package dev.densify.core.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import com.google.inject.name.Names;
import dev.densify.api.API;
import dev.densify.api.algo.PolicyOptimizer;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginContext;
import dev.densify.api.critic.Critic;
import dev.densify.api.critic.CriticProvider;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import dev.densify.api.reward.RewardShaper;
import dev.densify.api.reward.RewardShaperProvider;
import dev.densify.core.config.ComposedConfig;
import dev.densify.core.plugin.PluginKind;
import dev.densify.core.plugin.PluginRegistry;
import java.util.Objects;

/**
 * Binds a run's {@link ComposedConfig}, the {@link PluginRegistry}, every group's node as
 * {@code @Named("<group>") PluginConfig}, the selected providers, and the plugins the training loop injects
 * (critic, shaper, normaliser, algorithm). Plugins are unscoped: each injection (or each {@code get()} of an
 * injected {@code Provider}) creates a new, independently configured instance; whoever injects a stateful plugin
 * (critic, normaliser) owns that instance. Environments are created by the collector from the environment
 * provider and its node, one per parallel episode, and buffers by the run's batch source.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class DensifyModule extends AbstractModule {
    private final ComposedConfig config;
    private final PluginRegistry registry;

    /**
     * @param config composed over every group (a run needs them all)
     * @param registry the registry the configuration was composed against
     */
    public DensifyModule(ComposedConfig config, PluginRegistry registry) {
        this.config = Objects.requireNonNull(config, "config");
        this.registry = Objects.requireNonNull(registry, "registry");
        for (PluginKind<?> kind : PluginKind.ALL) {
            if (!config.groups().contains(kind.group())) {
                throw new IllegalArgumentException("a run needs the '" + kind.group()
                        + "' group, but the configuration was composed for " + config.groups() + " only");
            }
        }
    }

    /** Run-level facts for the plugins: the seed, the algorithm's discount and what every group selected. */
    @Provides
    @Singleton
    PluginContext context() {
        return config.pluginContext();
    }

    @Override
    protected void configure() {
        bind(ComposedConfig.class).toInstance(config);
        bind(PluginRegistry.class).toInstance(registry);
        for (String group : config.groups()) {
            bind(PluginConfig.class).annotatedWith(Names.named(group)).toInstance(config.group(group));
        }
    }

    @Provides
    EnvironmentProvider environmentProvider() {
        return selected(PluginKind.ENV);
    }

    @Provides
    CriticProvider criticProvider() {
        return selected(PluginKind.CRITIC);
    }

    @Provides
    Critic critic(CriticProvider provider, @Named("critic") PluginConfig criticConfig, PluginContext context) {
        return provider.create(criticConfig, context);
    }

    @Provides
    RewardShaperProvider shaperProvider() {
        return selected(PluginKind.SHAPER);
    }

    @Provides
    RewardShaper shaper(RewardShaperProvider provider, @Named("shaper") PluginConfig shaperConfig,
            PluginContext context) {
        return provider.create(shaperConfig, context);
    }

    @Provides
    NormalizerProvider normalizerProvider() {
        return selected(PluginKind.NORMALIZER);
    }

    @Provides
    Normalizer normalizer(NormalizerProvider provider, @Named("normalizer") PluginConfig normalizerConfig,
            PluginContext context) {
        return provider.create(normalizerConfig, context);
    }

    @Provides
    PolicyOptimizerProvider policyOptimizerProvider() {
        return selected(PluginKind.ALGO);
    }

    @Provides
    PolicyOptimizer policyOptimizer(PolicyOptimizerProvider provider, @Named("algo") PluginConfig algoConfig,
            PluginContext context) {
        return provider.create(algoConfig, context);
    }

    private <P> P selected(PluginKind<P> kind) {
        return registry.provider(kind, config.selected(kind.group()));
    }
}

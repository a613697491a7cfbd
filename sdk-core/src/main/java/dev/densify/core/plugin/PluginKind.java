package dev.densify.core.plugin;

import dev.densify.api.API;
import dev.densify.api.algo.PolicyOptimizerProvider;
import dev.densify.api.buffer.TrajectoryBufferProvider;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.plugin.PluginContext;
import dev.densify.api.critic.CriticProvider;
import dev.densify.api.env.EnvironmentProvider;
import dev.densify.api.plugin.PluginProvider;
import dev.densify.api.reward.NormalizerProvider;
import dev.densify.api.reward.RewardShaperProvider;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One extension point as the registry sees it: the configuration group that selects it, the provider
 * interface ServiceLoader looks for, and how to read a provider's name and description and create its plugin.
 * Every provider, the environment's included, is a {@link PluginProvider}.
 *
 * @param <P> the provider interface
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class PluginKind<P> {

    public static final PluginKind<EnvironmentProvider> ENV = ofProvider("env", EnvironmentProvider.class);
    public static final PluginKind<CriticProvider> CRITIC = ofProvider("critic", CriticProvider.class);
    public static final PluginKind<RewardShaperProvider> SHAPER = ofProvider("shaper", RewardShaperProvider.class);
    public static final PluginKind<NormalizerProvider> NORMALIZER = ofProvider("normalizer", NormalizerProvider.class);
    public static final PluginKind<PolicyOptimizerProvider> ALGO = ofProvider("algo", PolicyOptimizerProvider.class);
    public static final PluginKind<TrajectoryBufferProvider> BUFFER =
            ofProvider("buffer", TrajectoryBufferProvider.class);

    /** Every kind, in the order they are listed to users. */
    public static final List<PluginKind<?>> ALL = List.of(ENV, CRITIC, SHAPER, NORMALIZER, ALGO, BUFFER);

    private final String group;
    private final Class<P> providerType;
    private final Function<P, String> name;
    private final Function<P, String> description;
    private final Creator<P> create;

    private PluginKind(String group, Class<P> providerType, Function<P, String> name, Function<P, String> description,
                       Creator<P> create) {
        this.group = group;
        this.providerType = providerType;
        this.name = name;
        this.description = description;
        this.create = create;
    }

    private static <T, P extends PluginProvider<T>> PluginKind<P> ofProvider(String group, Class<P> type) {
        return new PluginKind<>(group, type, P::name, P::description, P::create);
    }

    /** How a provider of the kind creates its plugin. */
    @FunctionalInterface
    private interface Creator<P> {
        Object create(P provider, PluginConfig config, PluginContext context);
    }

    /** The kind selected by configuration group {@code group}, if that group names plugins. */
    public static Optional<PluginKind<?>> forGroup(String group) {
        Objects.requireNonNull(group, "group");
        return ALL.stream().filter(k -> k.group.equals(group)).findFirst();
    }

    /** The configuration group that selects a plugin of this kind, e.g. {@code env}; also the kind's name. */
    public String group() {
        return group;
    }

    /** The interface listed in {@code META-INF/services}. */
    public Class<P> providerType() {
        return providerType;
    }

    /** The provider's name, unique within this kind. */
    public String nameOf(P provider) {
        return name.apply(provider);
    }

    /** The provider's one-line description. */
    public String descriptionOf(P provider) {
        return description.apply(provider);
    }

    /**
     * A new plugin from {@code provider}, configured by {@code config}; bad configuration throws. The caller owns
     * the result and closes it when it is {@link AutoCloseable}.
     */
    public Object create(P provider, PluginConfig config, PluginContext context) {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(context, "context");
        return create.create(provider, config, context);
    }

    @Override
    public String toString() {
        return group;
    }
}

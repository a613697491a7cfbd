package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import java.util.Objects;

/** Provides the {@code running} normaliser. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RunningNormalizerProvider implements NormalizerProvider {
    @Override
    public String name() {
        return "running";
    }

    @Override
    public String description() {
        return "Scales by the running standard deviation of all step rewards seen (optionally centres); checkpointed";
    }

    @Override
    public Normalizer create(PluginConfig config) {
        return new RunningNormalizer(Objects.requireNonNull(config, "config").bind(RunningNormalizerConfig.class));
    }
}

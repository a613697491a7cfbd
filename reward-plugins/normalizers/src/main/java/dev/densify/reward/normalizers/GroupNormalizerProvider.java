package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import java.util.Objects;

/** Provides the {@code group} normaliser. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class GroupNormalizerProvider implements NormalizerProvider {
    @Override
    public String name() {
        return "group";
    }

    @Override
    public String description() {
        return "Z-scores rewards within each group of episodes of one task, over returns or over steps";
    }

    @Override
    public Normalizer create(PluginConfig config) {
        return new GroupNormalizer(Objects.requireNonNull(config, "config").bind(GroupNormalizerConfig.class));
    }
}

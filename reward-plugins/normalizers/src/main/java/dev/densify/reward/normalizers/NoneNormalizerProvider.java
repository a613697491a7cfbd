package dev.densify.reward.normalizers;

import dev.densify.api.API;
import dev.densify.api.config.PluginConfig;
import dev.densify.api.reward.Normalizer;
import dev.densify.api.reward.NormalizerProvider;
import java.util.Objects;

/** Provides the {@code none} normaliser. */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class NoneNormalizerProvider implements NormalizerProvider {
    @Override
    public String name() {
        return "none";
    }

    @Override
    public String description() {
        return "Rewards unchanged";
    }

    @Override
    public Normalizer create(PluginConfig config) {
        Objects.requireNonNull(config, "config").bind(NoneNormalizerConfig.class);
        return new NoneNormalizer();
    }
}
